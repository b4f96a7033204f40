/**
 * A client of iwhd's REST API: objects, attributes and the query language. Machinery: see
 * {@code io.buildq.internal}.
 */
package io.buildq.internal.iwhd;
