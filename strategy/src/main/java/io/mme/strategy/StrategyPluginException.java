package io.mme.strategy;

/** A strategy plug-in cannot be used: its message names the path, jar or type and what is wrong. */
public final class StrategyPluginException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public StrategyPluginException(String message) {
        super(message);
    }
}
