package io.mme.backtest;

/** The backtest's input cannot be used as given: the message names the file, the line or the option, and why. */
public final class BacktestInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BacktestInputException(String message) {
        super(message);
    }
}
