/** Configuration: YAML with defaults and {@code MME_…} overrides, validated once at start-up. */
package io.mme.app.config;
