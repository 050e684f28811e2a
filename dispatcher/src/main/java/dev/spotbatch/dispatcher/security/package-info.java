/**
 * Who may call the API: API keys (bearer tokens, stored as SHA-256 hashes) with roles, the access
 * rules per endpoint class, the embedded default's generated token, and the request limits (body
 * size, inline records, a per-key rate limit), each refusal answered as problem+json.
 */
package dev.spotbatch.dispatcher.security;
