package dev.ota.core.backend;

/** A backend could not do what was asked (start, stop, reach its plane); the message is for users. */
public class BackendException extends Exception {

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
