package dev.ota.core.backend.remote;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the OpenSSH agent protocol over {@code SSH_AUTH_SOCK} (identities and signing only):
 * private keys stay in the agent. sshj has no agent support of its own.
 */
final class SshAgent {

    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    static final int RSA_SHA2_256 = 2;

    /** A key the agent holds: its public blob and comment. */
    record Identity(byte[] blob, String comment) {
        String type() {
            ByteBuffer b = ByteBuffer.wrap(blob);
            byte[] t = new byte[b.getInt()];
            b.get(t);
            return new String(t, StandardCharsets.US_ASCII);
        }
    }

    private final Path socket;

    SshAgent(Path socket) {
        this.socket = socket;
    }

    List<Identity> identities() throws IOException {
        ByteBuffer answer = call(new byte[] {REQUEST_IDENTITIES});
        if (answer.get() != IDENTITIES_ANSWER) {
            throw new IOException("the SSH agent at " + socket + " refused to list its keys");
        }
        int n = answer.getInt();
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = string(answer);
            out.add(new Identity(blob, new String(string(answer), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The agent's signature of {@code data} ({@code string alg, string sig}, ready for the wire). */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeByte(SIGN_REQUEST);
        out.writeInt(blob.length);
        out.write(blob);
        out.writeInt(data.length);
        out.write(data);
        out.writeInt(flags);
        ByteBuffer answer = call(body.toByteArray());
        if (answer.get() != SIGN_RESPONSE) {
            throw new IOException("the SSH agent at " + socket + " refused to sign with the key");
        }
        return string(answer);
    }

    private ByteBuffer call(byte[] message) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer req = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).flip();
            while (req.hasRemaining()) {
                ch.write(req);
            }
            ByteBuffer len = read(ch, 4);
            int size = len.getInt();
            if (size <= 0 || size > 256 * 1024) {
                throw new IOException("the SSH agent at " + socket + " sent a malformed answer");
            }
            return read(ch, size);
        }
    }

    private static ByteBuffer read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the SSH agent closed the connection");
            }
        }
        return b.flip();
    }

    private static byte[] string(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return s;
    }
}
