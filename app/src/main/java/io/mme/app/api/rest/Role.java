package io.mme.app.api.rest;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The roles a token carries. {@link #ADMIN} may do everything; the others only what a route names.
 * Immutable; any thread.
 */
public enum Role {
    /** reads */
    VIEWER("viewer"),
    /** reads; strategy start/stop/parameters; the kill switch */
    TRADER("trader"),
    /** reads; limits and trading states; the kill switch */
    RISK_OFFICER("risk-officer"),
    /** everything */
    ADMIN("admin");

    private final String configName;

    Role(String configName) {
        this.configName = configName;
    }

    /** as token files, the environment and the OpenAPI document spell it */
    public String configName() {
        return configName;
    }

    /** the role of that name (case-insensitive), or an exception listing the known ones */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.configName.equalsIgnoreCase(text == null ? "" : text.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("role '" + text + "' is not one of "
                + Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return configName;
    }
}
