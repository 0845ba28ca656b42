/**
 * The slots of the inbound and outbound rings: preallocated, overwritten in place, primitive on
 * the hot path. Which thread writes which part of a slot is documented on each class.
 */
package io.mme.core.ring;
