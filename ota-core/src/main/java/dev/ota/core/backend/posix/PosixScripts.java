package dev.ota.core.backend.posix;

/**
 * POSIX {@code sh} scripts ota-maven runs on a plane it reaches only by executing commands: inside
 * containers ({@code exec}) and on remote hosts (SSH or a provider CLI). They need only {@code sh}
 * and {@code /proc}, so any Linux shell works; probes use whichever of {@code nc}, {@code bash},
 * {@code curl} or {@code wget} the plane has. Pid and exit files go to {@code $OTA_STATE_DIR}
 * ({@link #DEFAULT_STATE_DIR} when unset); every script takes its arguments as {@code $1...}.
 */
public final class PosixScripts {

    private PosixScripts() {}

    /** Directory for pid and exit files when {@code OTA_STATE_DIR} is not set (containers). */
    public static final String DEFAULT_STATE_DIR = "/tmp/.ota";

    /** The state directory as every script reads it. */
    private static final String STATE_DIR = "${OTA_STATE_DIR:-" + DEFAULT_STATE_DIR + "}";

    /**
     * Starts {@code "$@"} detached in a new session (so it outlives the exec), stdin from
     * {@code /dev/null}, output appended to the log; the wrapper shell's pid is the workload pid,
     * and it writes the body's exit code to {@code <STATE_DIR>/<pid>.exit}. Prints
     * {@code /proc/<pid>/stat} of the workload ({@code <pid> EXITED} when it is already gone). Args: log file, then the argv.
     */
    public static final String START_SERVICE = """
            log=$1; shift
            OTA_STATE_DIR=%1$s; export OTA_STATE_DIR
            mkdir -p "$OTA_STATE_DIR"
            pidfile="$OTA_STATE_DIR/start.$$.pid"
            rm -f "$pidfile"
            wrapper='echo $$ > "$0"; "$@"; echo $? > "$OTA_STATE_DIR/$$.exit"'
            if command -v setsid >/dev/null 2>&1; then
              setsid sh -c "$wrapper" "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
            else
              sh -c "$wrapper" "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
            fi
            i=0
            while [ ! -s "$pidfile" ] && [ $i -lt 200 ]; do sleep 0.05 2>/dev/null || sleep 1; i=$((i+1)); done
            pid=$(cat "$pidfile" 2>/dev/null); rm -f "$pidfile"
            [ -n "$pid" ] || { echo "workload did not start" >&2; exit 97; }
            cat /proc/$pid/stat 2>/dev/null || echo "$pid EXITED"
            """.formatted(STATE_DIR);

    /** Runs {@code "$@"} attached, after writing its pid to the file named first (for interrupts). */
    public static final String RUN_ATTACHED = """
            mkdir -p "%1$s"
            echo $$ > "$1"; shift
            exec "$@"
            """.formatted(STATE_DIR);

    /**
     * Prints {@code /proc/<pid>/stat} while the pid exists (a zombie too: the wrapper of a service
     * that ended lingers as one until the plane's pid 1 reaps it), then {@code EXIT <code>} when the
     * wrapper wrote one, or {@code GONE} when there is neither. Args: pid.
     */
    public static final String STAT = """
            s=$(cat /proc/$1/stat 2>/dev/null) && echo "$s"
            d=%1$s
            if [ -f "$d/$1.exit" ]; then echo "EXIT $(cat "$d/$1.exit")"; elif [ -z "$s" ]; then echo GONE; fi
            """.formatted(STATE_DIR);

    /**
     * Stops a process tree: verifies the start time, sends TERM to the process, its group and all
     * descendants, waits up to the grace, then KILL. Prints {@code GONE} or {@code ALIVE}. Zombies
     * are not part of the tree: they have ended, and reaping orphans is the plane's pid 1's job
     * (which may do it late, or never in a container whose pid 1 does not reap).
     * Args: pid, start ticks (or -1 to skip the check), grace seconds.
     */
    public static final String STOP_TREE = """
            root=$1; ticks=$2; grace=$3
            starttime() { line=$(cat /proc/$1/stat 2>/dev/null) || return 1; rest=${line##*) }; set -- $rest; echo ${20}; }
            if [ "$ticks" != "-1" ]; then
              now=$(starttime $root) || { echo GONE; exit 0; }
              [ "$now" = "$ticks" ] || { echo GONE; exit 0; }
            fi
            table() { for s in /proc/[0-9]*/stat; do line=$(cat "$s" 2>/dev/null) || continue; rest=${line##*) }; set -- $rest; case $1 in Z|X|x) continue;; esac; echo "${line%% *} $2 $3"; done; }
            tree() {
              if command -v awk >/dev/null 2>&1; then
                table | awk -v root="$root" '{ parent[$1]=$2; group[$1]=$3 }
                  END { t[root]=1; do { added=0; for (p in parent) if (!(p in t) && ((parent[p] in t) || group[p]==root)) { t[p]=1; added=1 } } while (added);
                        for (p in t) if (p in parent) print p }'
              else
                [ -e /proc/$root ] && echo $root
              fi
            }
            pids=$(tree)
            [ -n "$pids" ] || { echo GONE; exit 0; }
            kill -TERM $pids 2>/dev/null
            kill -TERM -$root 2>/dev/null
            waited=0
            limit=$((grace * 10))
            while [ $waited -lt $limit ]; do
              pids=$(tree); [ -n "$pids" ] || { echo GONE; exit 0; }
              sleep 0.1 2>/dev/null || sleep 1
              waited=$((waited + 1))
            done
            pids=$(tree)
            [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
            kill -KILL -$root 2>/dev/null
            sleep 0.2 2>/dev/null || sleep 1
            [ -n "$(tree)" ] && echo ALIVE || echo GONE
            """;

    /** Last lines of a file inside the container. Args: file, lines. */
    public static final String TAIL = """
            tail -n "$2" "$1" 2>/dev/null
            """;

    /**
     * One TCP reachability check on the container's own plane. Args: host, port, timeout seconds.
     * Prints {@code OTA_PROBE ok} or {@code OTA_PROBE fail <why>}.
     */
    public static final String TCP_PROBE = """
            h=$1; p=$2; t=$3
            T=""; command -v timeout >/dev/null 2>&1 && T="timeout $t"
            if command -v nc >/dev/null 2>&1; then
              if nc -h 2>&1 | grep -q -- ' -z'; then out=$($T nc -z -w "$t" "$h" "$p" 2>&1); rc=$?
              else out=$($T nc -w "$t" "$h" "$p" </dev/null 2>&1); rc=$?; fi
            elif command -v bash >/dev/null 2>&1; then
              out=$($T bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$h" "$p" 2>&1); rc=$?
            elif command -v busybox >/dev/null 2>&1; then
              out=$($T busybox nc -w "$t" "$h" "$p" </dev/null 2>&1); rc=$?
            else
              echo "OTA_PROBE fail no probe tool in the image (nc, bash or busybox)"; exit 0
            fi
            if [ $rc -eq 0 ]; then echo "OTA_PROBE ok"; else echo "OTA_PROBE fail ${out:-connection refused}"; fi
            """;

    /**
     * One HTTP request on the container's own plane. Args: method, url, timeout seconds, then
     * {@code Name: value} headers. Prints {@code OTA_STATUS <code>} (0 when no response) and then
     * the first 64 KiB of the body.
     */
    public static final String HTTP_PROBE = """
            m=$1; u=$2; t=$3; shift 3
            T=""; command -v timeout >/dev/null 2>&1 && T="timeout $t"
            s=%1$s; d="$s/probe.$$"; mkdir -p "$s"
            n=$#
            if command -v curl >/dev/null 2>&1; then
              for h in "$@"; do set -- "$@" -H "$h"; done; shift $n
              if [ "$m" = "HEAD" ]; then set -- "$@" -I; else set -- "$@" -X "$m"; fi
              code=$($T curl -s -o "$d.body" -w '%%{http_code}' -m "$t" "$@" "$u" 2>"$d.err")
              echo "OTA_STATUS ${code:-0}"
            elif command -v wget >/dev/null 2>&1 || command -v busybox >/dev/null 2>&1; then
              W=wget; command -v wget >/dev/null 2>&1 || W="busybox wget"
              for h in "$@"; do set -- "$@" --header "$h"; done; shift $n
              [ "$m" = "HEAD" ] && set -- "$@" --spider
              $T $W -S -O "$d.body" "$@" "$u" 2>"$d.err" >/dev/null
              code=$(grep -o 'HTTP/[0-9.]* [0-9][0-9][0-9]' "$d.err" | tail -n 1 | sed 's/.* //')
              echo "OTA_STATUS ${code:-0}"
              [ -n "$code" ] || tail -n 1 "$d.err"
            else
              echo "OTA_STATUS 0"; echo "no probe tool in the image (curl, wget or busybox)"; exit 0
            fi
            [ -f "$d.body" ] && head -c 65536 "$d.body"
            rm -f "$d.body" "$d.err"
            """.formatted(STATE_DIR);
}
