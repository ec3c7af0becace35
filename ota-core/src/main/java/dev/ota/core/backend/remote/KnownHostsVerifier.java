package dev.ota.core.backend.remote;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Strict host-key checking against the user's and the system's {@code known_hosts}, as OpenSSH
 * does with {@code StrictHostKeyChecking yes}: a key found in either file is accepted; an unknown
 * or a changed key is refused, and {@link #refusal()} says why and how to fix it. Nothing is ever
 * added to a known_hosts file.
 */
final class KnownHostsVerifier implements HostKeyVerifier {

    private final List<Path> files;
    private final List<OpenSSHKnownHosts> known = new ArrayList<>();
    private String refusal;

    KnownHostsVerifier(List<Path> files) throws IOException {
        this.files = files;
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                known.add(new Recording(f.toFile()));
            }
        }
    }

    /** Why the last host key was refused, with the fix; null when it was accepted. */
    String refusal() {
        return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        boolean changed = false;
        String changedIn = null;
        for (OpenSSHKnownHosts kh : known) {
            Recording r = (Recording) kh;
            r.changed = false;
            if (kh.verify(hostname, port, key)) {
                refusal = null;
                return true;
            }
            if (r.changed) {
                changed = true;
                changedIn = kh.getFile().toString();
            }
        }
        String entry = port == 22 ? hostname : "[" + hostname + "]:" + port;
        String offered = KeyType.fromKey(key) + " key " + fingerprint(key);
        if (changed) {
            refusal = "the host key of " + entry + " has CHANGED: " + changedIn + " holds a different key than the " + offered
                    + " the server offers. This can mean someone is intercepting the connection; ota-maven refuses to connect."
                    + " If the host was legitimately reinstalled, remove the old entry (ssh-keygen -R '" + entry + "') and add"
                    + " the new key after checking its fingerprint.";
        } else {
            refusal = "the host key of " + entry + " (" + offered + ") is not in " + describe(files)
                    + "; ota-maven never accepts unknown host keys. Check the fingerprint with the host's owner, then add it:"
                    + " `ssh-keyscan" + (port == 22 ? "" : " -p " + port) + " " + hostname + " >> ~/.ssh/known_hosts`"
                    + " (or connect once with `ssh` and accept it).";
        }
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        List<String> out = new ArrayList<>();
        for (OpenSSHKnownHosts kh : known) {
            for (String a : kh.findExistingAlgorithms(hostname, port)) {
                if (!out.contains(a)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** {@code SHA256:<base64>}, as {@code ssh-keygen -l} prints it. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            return "(fingerprint unavailable)";
        }
    }

    private static String describe(List<Path> files) {
        return files.isEmpty() ? "any known_hosts file" : String.join(" or ", files.stream().map(Path::toString).toList());
    }

    /** Records whether the file knew the host under another key, instead of logging it. */
    private static final class Recording extends OpenSSHKnownHosts {
        boolean changed;

        Recording(File file) throws IOException {
            super(file, SshLogging.QUIET);
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            return false;
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            changed = true;
            return false;
        }
    }
}
