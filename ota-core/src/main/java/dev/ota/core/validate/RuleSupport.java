package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.diagnostics.Words;
import dev.ota.core.model.Contract;
import dev.ota.core.resolve.Topology;
import java.util.Collection;
import java.util.regex.Pattern;

/** What every group of rules needs: the contract, its resolved topology and the diagnostics. */
abstract class RuleSupport {

    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]+");

    final Contract contract;
    final Topology topology;
    final Diagnostics diags;

    RuleSupport(Contract contract, Topology topology, Diagnostics diags) {
        this.contract = contract;
        this.topology = topology;
        this.diags = diags;
    }

    abstract void check();

    void error(String code, SourceLocation at, String message, String fix) {
        diags.error(code, at, message, fix);
    }

    void warning(String code, SourceLocation at, String message, String fix) {
        diags.warning(code, at, message, fix);
    }

    static boolean blank(String s) {
        return s != null && s.isBlank();
    }

    static String quote(String s) {
        return "`" + s + "`";
    }

    static String list(Collection<String> values) {
        return Words.backticked(values);
    }
}
