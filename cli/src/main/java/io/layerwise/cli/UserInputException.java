package io.layerwise.cli;

/** A problem with what the user typed on the command line, reported as one message and exit status 2. */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }
}
