package dev.ota.core.model;

/** `remote:` settings of a context or of `execution.backends`. Null fields are undeclared. */
public record RemoteSettings(
        String provider, String target, String cwd, String sshConfigFile, String sshIdentityFile, Site site) {

    public static final RemoteSettings NONE = new RemoteSettings(null, null, null, null, null, null);

    public RemoteSettings overlay(RemoteSettings child) {
        if (child == null || child == NONE) {
            return this;
        }
        return new RemoteSettings(
                child.provider != null ? child.provider : provider,
                child.target != null ? child.target : target,
                child.cwd != null ? child.cwd : cwd,
                child.sshConfigFile != null ? child.sshConfigFile : sshConfigFile,
                child.sshIdentityFile != null ? child.sshIdentityFile : sshIdentityFile,
                child.site != null ? child.site : site);
    }
}
