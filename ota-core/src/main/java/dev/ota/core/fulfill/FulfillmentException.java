package dev.ota.core.fulfill;

import dev.ota.core.backend.BackendException;

/** Run-path fulfillment of a backend unit did not make it ready: reported as a fulfillment failure, never a task failure. */
public final class FulfillmentException extends BackendException {

    public FulfillmentException(String message) {
        super(message);
    }
}
