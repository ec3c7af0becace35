package dev.ota.core.backend.remote;

import java.io.IOException;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * The {@code publickey} method with a key held by the SSH agent: the server first accepts the
 * public key, then the agent signs the session (RSA keys as {@code rsa-sha2-256}).
 */
final class AgentAuth extends AbstractAuthMethod {

    private final SshAgent agent;
    private final SshAgent.Identity identity;

    AgentAuth(SshAgent agent, SshAgent.Identity identity) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
    }

    private String algorithm() {
        String type = identity.type();
        return type.equals("ssh-rsa") ? "rsa-sha2-256" : type;
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        return super.buildReq().putBoolean(signed).putString(algorithm()).putString(identity.blob());
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd != Message.USERAUTH_60) {
            super.handle(cmd, buf);
            return;
        }
        SSHPacket req = request(true);
        byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req).getCompactData();
        try {
            req.putString(agent.sign(identity.blob(), data, identity.type().equals("ssh-rsa") ? SshAgent.RSA_SHA2_256 : 0));
        } catch (IOException e) {
            throw new UserAuthException("the SSH agent could not sign with " + this + ": " + e.getMessage(), e);
        }
        params.getTransport().write(req);
    }

    @Override
    public String toString() {
        return "agent key " + identity.type() + (identity.comment().isBlank() ? "" : " (" + identity.comment() + ")");
    }
}
