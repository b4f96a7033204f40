/**
 * OAuth 1.0a (RFC 5849) request signing as Image Factory and iwhd check it. Machinery: see
 * {@code io.buildq.internal}.
 */
package io.buildq.internal.oauth;
