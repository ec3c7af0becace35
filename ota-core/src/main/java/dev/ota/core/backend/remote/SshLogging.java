package dev.ota.core.backend.remote;

import net.schmizz.sshj.common.LoggerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

/** sshj logs connection chatter at INFO; in a Maven build that would be noise, so it is dropped. */
final class SshLogging {

    static final LoggerFactory QUIET = new LoggerFactory() {
        @Override
        public Logger getLogger(String name) {
            return NOPLogger.NOP_LOGGER;
        }

        @Override
        public Logger getLogger(Class<?> clazz) {
            return NOPLogger.NOP_LOGGER;
        }
    };

    private SshLogging() {}
}
