// Google application-default credentials as request headers, for the lean REST call paths: google-auth-library
// (the official clients' own credential loader) finds, caches and refreshes the token; it loads on first use.
export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

type AuthHeaders = () => Promise<Record<string, string>>;

// Plain-http bases are local stand-ins and emulators: no credentials, as the official clients do for them.
export function authHeadersFor(base: string, scope: string): AuthHeaders {
  if (base.startsWith('http:')) return () => Promise.resolve({});
  let auth:
    Promise<{ getRequestHeaders(url?: string): Promise<Headers> }> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) => new GoogleAuth({ scopes: [scope] })
    );
    const headers = await (await auth).getRequestHeaders(base);
    return Object.fromEntries(headers.entries());
  };
}
