#!/usr/bin/env bash
# Runs framefuse from the bundle that scripts/gpu/bundle.js packed into .gpu/, on a machine
# with bash and glibc (>= 2.28; >= 2.34 for the carried Vulkan libraries) and nothing else:
# no Node.js, no network, maybe no xz or dpkg (then python3 and scripts/gpu/unpack.py do).
#
#   bash scripts/gpu/run.sh                        # npm run bench -- gpu --json=$OUT/gpu-bench.json
#   bash scripts/gpu/run.sh faces --hd             # any benchmark of bench/main.js, its flags
#   bash scripts/gpu/run.sh framefuse doctor       # any framefuse command
#   bash scripts/gpu/run.sh framefuse run graphs/anonymize.json --provider webgpu --metrics "$OUT/metrics.json"
#
# It unpacks into a private temporary folder (removed at the end; FF_GPU_KEEP=1 keeps it),
# picks the Vulkan driver manifest (ICD) with which vulkaninfo sees a GPU, runs
# `framefuse doctor --json`, then the command, all inside a hard wall-clock budget, and
# leaves in $OUT (default ./gpu-out):
#   run.log         everything printed, with what was chosen and how long each step took
#   vulkaninfo.txt  the ICDs tried and `vulkaninfo --summary` with the chosen one
#   doctor.json     `framefuse doctor --json`
#   result.json     command, exit status, timings, ICD, adapter, node, bundle commit
# plus what the command itself writes there (at most 8 files in all come back from the
# device tool: point at most 4 of a command's outputs at $OUT).
#
# Knobs (environment):
#   FF_GPU_BUDGET=540        seconds for the whole script, unpacking included; the command
#                            is killed (its whole process group) when they run out
#   FF_GPU_DEFAULT=gpu       the benchmark run when no arguments are given (default: gpu --json=$OUT/gpu-bench.json)
#   FF_GPU_ICD=FILE          use this ICD manifest and skip the search
#   FF_GPU_BUNDLE=DIR        the bundle (default .gpu beside scripts/)
#   FFMPEG_PATH=FILE         another ffmpeg than the carried one
#   FF_GPU_KEEP=1            keep the private folder (its path is in run.log)
set -u
T0=$SECONDS
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/gpu"
cd "$ROOT" || exit 1
BUNDLE="${FF_GPU_BUNDLE:-$ROOT/.gpu}"
OUT="${OUT:-$ROOT/gpu-out}"
BUDGET="${FF_GPU_BUDGET:-540}"
RESERVE=8 # seconds kept for writing result.json and cleaning up
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
export OUT

LOG="$OUT/run.log"
: > "$LOG"
exec 3>&1 4>&2
exec > >(tee -a "$LOG" >&3) 2>&1
TEE_PID=$!

elapsed() { echo $(( SECONDS - T0 )); }
left() { echo $(( BUDGET - (SECONDS - T0) )); }
say() { printf '[run.sh %3ss] %s\n' "$(elapsed)" "$*"; }
json() { # a JSON string of $1
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/\\n}"; s="${s//$'\t'/\\t}"; s="${s//$'\r'/}"
  printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')"
}
# limited SECONDS CMD...: runs CMD, killing it and its children after SECONDS (124 then).
limited() {
  local secs="$1"; shift
  [ "$secs" -lt 1 ] && secs=1
  if command -v timeout >/dev/null 2>&1; then
    timeout -k 5 "$secs" "$@"
  else
    set -m; "$@" & local pid=$!; set +m
    ( sleep "$secs"; kill -TERM -- "-$pid" 2>/dev/null; sleep 5; kill -KILL -- "-$pid" 2>/dev/null ) &
    local dog=$!
    wait "$pid"; local rc=$?
    if kill -0 "$dog" 2>/dev/null; then kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null; else rc=124; fi
    return "$rc"
  fi
}

# What result.json reports; filled in as the steps go.
STATUS="started"; EXIT=""; UNPACKER=""; ICD=""; ADAPTER=""; ADAPTER_TYPE=""; NODE_VERSION=""; CMD_DESC=""
T_UNPACK=""; T_ICD=""; T_DOCTOR=""; T_CMD=""; TIMED_OUT=false; NOTES=""
note() { say "$*"; NOTES="$NOTES$*"$'\n'; }
RUN=""
finish() {
  local code=$?
  local rc="${EXIT:-$code}"
  [ -n "$RUN" ] && [ -d "$RUN" ] && [ "${FF_GPU_KEEP:-0}" != 1 ] && rm -rf "$RUN"
  {
    printf '{\n  "status": %s,\n  "exitCode": %s,\n  "timedOut": %s,\n' "$(json "$STATUS")" "${EXIT:-null}" "$TIMED_OUT"
    printf '  "command": %s,\n  "budgetS": %s,\n  "elapsedS": %s,\n' "$(json "$CMD_DESC")" "$BUDGET" "$(elapsed)"
    printf '  "stepsS": {"unpack": %s, "icd": %s, "doctor": %s, "command": %s},\n' "${T_UNPACK:-null}" "${T_ICD:-null}" "${T_DOCTOR:-null}" "${T_CMD:-null}"
    printf '  "unpacker": %s,\n  "node": %s,\n  "nodePath": %s,\n' "$(json "$UNPACKER")" "$(json "$NODE_VERSION")" "$(json "${NODE:-}")"
    printf '  "icd": %s,\n  "adapter": %s,\n  "adapterType": %s,\n' "$(json "$ICD")" "$(json "$ADAPTER")" "$(json "$ADAPTER_TYPE")"
    printf '  "ffmpeg": %s,\n  "privateDir": %s,\n  "privateDirKept": %s,\n' "$(json "${FFMPEG_PATH:-}")" "$(json "$RUN")" "$([ "${FF_GPU_KEEP:-0}" = 1 ] && echo true || echo false)"
    printf '  "bundleCommit": %s,\n  "host": %s,\n  "notes": %s\n}\n' "$(json "$(sed -n 's/.*"commit": "\([0-9a-f]*\)".*/\1/p' "$BUNDLE/manifest.json" 2>/dev/null | head -1)")" "$(json "$(uname -srm) glibc $(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}') cpus $(getconf _NPROCESSORS_ONLN 2>/dev/null)")" "$(json "$NOTES")"
  } > "$OUT/result.json"
  # The device tool brings back at most 8 files of at most 16 MiB, named [A-Za-z0-9._-].
  local files n=0 f
  files="$(cd "$OUT" && ls -A)"
  for f in $files; do
    n=$((n + 1))
    case "$f" in *[!A-Za-z0-9._-]*) say "warning: $f in \$OUT has a name the device tool will not bring back" ;; esac
  done
  [ "$n" -gt 8 ] && say "warning: $n files in \$OUT; the device tool brings back 8"
  cat "$OUT/result.json"
  say "done: $STATUS, exit ${EXIT:-none}, $(elapsed) s of $BUDGET; ICD ${ICD:-none}, adapter ${ADAPTER:-none}; in \$OUT: $(echo $files)"
  exec 1>&3 2>&4
  wait "$TEE_PID" 2>/dev/null
  if [ "$(wc -c < "$LOG")" -gt 15000000 ]; then tail -c 15000000 "$LOG" > "$LOG.tail" && mv "$LOG.tail" "$LOG"; fi
  exit "$rc"
}
trap finish EXIT
trap 'TIMED_OUT=true; STATUS="interrupted"; exit 130' INT TERM

# --- the command ----------------------------------------------------------------------
# The default: the GPU benchmark, its report as JSON beside the log ($OUT comes back).
[ $# -eq 0 ] && set -- ${FF_GPU_DEFAULT:-gpu "--json=$OUT/gpu-bench.json"}
case "$1" in
  framefuse) shift; MODE=cli; CMD_DESC="framefuse $*" ;;
  bench) shift; MODE=bench; CMD_DESC="bench $*" ;;
  *) MODE=bench; CMD_DESC="bench $*" ;;
esac
say "framefuse GPU run: $CMD_DESC (budget $BUDGET s, bundle $BUNDLE, out $OUT)"

# --- 1. unpack ---------------------------------------------------------------------------
for f in node.xz ffmpeg.xz ort.tar.xz deps.tar.xz app.tar.xz manifest.json; do
  [ -f "$BUNDLE/$f" ] || { STATUS="no bundle: $BUNDLE/$f is missing (build it with node scripts/gpu/bundle.js, carry .gpu)"; say "$STATUS"; exit 2; }
done
if command -v sha256sum >/dev/null 2>&1; then
  if ! bad="$(cd "$BUNDLE" && sha256sum -c --quiet SHA256SUMS 2>&1)"; then
    STATUS="bundle damaged: $bad"; say "$STATUS"; exit 2
  fi
fi
TMPBASE="${TMPDIR:-/tmp}"
RUN="$(mktemp -d "$TMPBASE/framefuse-gpu.XXXXXX" 2>/dev/null)" || RUN=""
if [ -n "$RUN" ]; then
  printf '#!/bin/sh\nexit 0\n' > "$RUN/x" && chmod +x "$RUN/x"
  if ! "$RUN/x" 2>/dev/null; then rm -rf "$RUN"; RUN=""; fi # a noexec /tmp
fi
if [ -z "$RUN" ]; then RUN="$ROOT/.gpu-run.$$"; rm -rf "$RUN"; mkdir -p "$RUN"; fi
rm -f "$RUN/x"
say "private folder $RUN"
APP="$RUN/app"; SYS="$RUN/root"
mkdir -p "$APP" "$SYS" "$RUN/bin" "$RUN/xdg" && chmod 700 "$RUN/xdg"

# Each unpacking step may use what is left of the budget, no more.
until_reserve() { echo $(( $(left) - RESERVE )); }
if command -v xz >/dev/null 2>&1 && command -v tar >/dev/null 2>&1; then
  UNPACKER="xz"
  unxz_to() { limited "$(until_reserve)" bash -c 'xz -dc "$1" > "$2"' unxz "$1" "$2"; }
  untar_to() { limited "$(until_reserve)" tar -xJf "$1" -C "$2"; }
elif command -v python3 >/dev/null 2>&1; then
  UNPACKER="python3"
  unxz_to() { limited "$(until_reserve)" python3 "$HERE/unpack.py" xz "$1" "$2"; }
  untar_to() { limited "$(until_reserve)" python3 "$HERE/unpack.py" tarxz "$1" "$2"; }
else
  STATUS="cannot unpack: neither xz nor python3 here"; say "$STATUS"; exit 2
fi
if command -v dpkg >/dev/null 2>&1; then DEBX=dpkg; undeb_to() { limited "$(until_reserve)" dpkg -x "$1" "$2"; }
elif command -v python3 >/dev/null 2>&1; then DEBX=python3; undeb_to() { limited "$(until_reserve)" python3 "$HERE/unpack.py" deb "$1" "$2"; }
else DEBX=none; undeb_to() { return 1; }; fi
unpack_failed() { # unpack_failed RC WHAT
  if [ "$1" = 124 ] || [ "$1" = 137 ] || [ "$(until_reserve)" -le 0 ]; then
    TIMED_OUT=true; EXIT=124; STATUS="timed out while unpacking $2 ($UNPACKER) after $(elapsed) s (budget $BUDGET s)"
  else
    STATUS="unpacking $2 failed ($UNPACKER, exit $1)"
  fi
  say "$STATUS"; exit 2
}

unxz_to "$BUNDLE/node.xz" "$RUN/bin/node" || unpack_failed $? node.xz
chmod 755 "$RUN/bin/node"
for t in app deps ort; do untar_to "$BUNDLE/$t.tar.xz" "$APP" || unpack_failed $? "$t.tar.xz"; done
FF_CARRIED="$APP/node_modules/@ffmpeg-installer/linux-x64/ffmpeg"
mkdir -p "$(dirname "$FF_CARRIED")"
unxz_to "$BUNDLE/ffmpeg.xz" "$FF_CARRIED" || unpack_failed $? ffmpeg.xz
chmod 755 "$FF_CARRIED"
ndebs=0
for f in "$BUNDLE"/debs/*.deb; do
  [ -f "$f" ] || continue
  undeb_to "$f" "$SYS" && ndebs=$((ndebs + 1)) || { rc=$?; [ "$rc" = 124 ] && unpack_failed 124 "$(basename "$f")"; note "could not unpack $(basename "$f") ($DEBX)"; }
done
# The app folder mirrors the checkout: dist/ and node_modules/ from the bundle, bin/ and
# package.json copied (node resolves a script's real path), the rest linked, so models/,
# nodes/, graphs/ and samples/ are the checkout's and relative paths work from $ROOT.
cp -R "$ROOT/bin" "$ROOT/package.json" "$APP/"
for entry in "$ROOT"/* "$ROOT"/.[!.]*; do
  name="$(basename "$entry")"
  case "$name" in .git|.gpu|.gpu-run.*|dist|node_modules|bin|package.json) continue ;; esac
  [ -e "$APP/$name" ] || ln -s "$entry" "$APP/$name"
done
NODE="$RUN/bin/node"
NODE_VERSION="$("$NODE" --version 2>&1)" || { STATUS="the carried node does not start: $NODE_VERSION"; say "$STATUS"; exit 2; }
T_UNPACK=$(elapsed)
say "unpacked with $UNPACKER (debs: $ndebs with $DEBX): node $NODE_VERSION, $(du -sh "$RUN" 2>/dev/null | cut -f1) in all"

# --- 2. libraries and the Vulkan driver --------------------------------------------------
ORIG_LD="${LD_LIBRARY_PATH:-}"
LIBDIR="$SYS/usr/lib/x86_64-linux-gnu"
GLIBC="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [ -n "$GLIBC" ] && [ "$(printf '%s\n2.34\n' "$GLIBC" | sort -V | head -1)" != 2.34 ]; then
  note "glibc $GLIBC < 2.34: the carried Debian libraries cannot load here; using the system's libvulkan.so.1, if any"
  LIBDIR="$RUN/none"
fi
export LD_LIBRARY_PATH="$LIBDIR:/usr/local/nvidia/lib64:/usr/local/nvidia/lib${ORIG_LD:+:$ORIG_LD}"
export PATH="$RUN/bin:$SYS/usr/bin:/usr/local/nvidia/bin:$PATH"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$RUN/xdg}"
VKINFO="$OUT/vulkaninfo.txt"
: > "$VKINFO"

cands=()
if [ -n "${FF_GPU_ICD:-}" ]; then
  cands=("$FF_GPU_ICD")
else
  [ -n "${VK_DRIVER_FILES:-}" ] && cands+=("$VK_DRIVER_FILES")
  [ -n "${VK_ICD_FILENAMES:-}" ] && cands+=("$VK_ICD_FILENAMES")
  # NVIDIA's manifest where drivers and the container toolkit put it (the loader does not
  # look under /usr/local/nvidia by itself), then one written for the driver's own library.
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/icd.d/nvidia_icd.json \
           /usr/local/nvidia/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/etc/vulkan/icd.d/nvidia_icd.json \
           /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /usr/local/share/vulkan/icd.d/nvidia_icd.json \
           $(find /usr/local/nvidia /etc/vulkan /usr/share/vulkan /usr/local/share/vulkan -maxdepth 4 -iname '*nvidia*.json' 2>/dev/null | grep -i icd | sort); do
    [ -f "$f" ] && cands+=("$f")
  done
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
    if [ -e "$d/libGLX_nvidia.so.0" ]; then
      printf '{"file_format_version":"1.0.1","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$d/libGLX_nvidia.so.0" > "$RUN/nvidia_icd_written.json"
      cands+=("$RUN/nvidia_icd_written.json"); break
    fi
  done
  # Then every other manifest in the loader's folders (AMD, Intel, Mesa's software lavapipe).
  for d in /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d /usr/share/vulkan/icd.d; do
    for f in "$d"/*.json; do [ -f "$f" ] && cands+=("$f"); done
  done
fi
chosen=""; chosen_any=""; seen=" "; any_type=""; any_name=""
ICD_UNTIL=$(( $(elapsed) + 60 )) # the search gets at most a minute, and never the command's last 30 s
[ $(( BUDGET - RESERVE - 30 )) -lt "$ICD_UNTIL" ] && ICD_UNTIL=$(( BUDGET - RESERVE - 30 ))
for c in "${cands[@]}"; do
  case "$seen" in *" $c "*) continue ;; esac
  seen="$seen$c "
  secs=$(( ICD_UNTIL - $(elapsed) )); [ "$secs" -gt 15 ] && secs=15
  [ "$secs" -lt 2 ] && { note "ICD search stopped at $(elapsed) s, before $c"; break; }
  VK_DRIVER_FILES="$c" VK_ICD_FILENAMES="$c" limited "$secs" vulkaninfo --summary > "$RUN/vi.txt" 2>&1
  rc=$?
  name="$(sed -n 's/^[[:space:]]*deviceName[[:space:]]*=[[:space:]]*//p' "$RUN/vi.txt" | head -1)"
  type="$(sed -n 's/^[[:space:]]*deviceType[[:space:]]*=[[:space:]]*PHYSICAL_DEVICE_TYPE_//p' "$RUN/vi.txt" | head -1)"
  { printf '=== %s (vulkaninfo rc=%s): %s %s\n' "$c" "$rc" "${name:-no device}" "${type:+($type)}"; head -c 400 "$c" 2>/dev/null; echo; } >> "$VKINFO"
  say "ICD $c: ${name:-no device}${type:+ ($type)}"
  if [ -n "$name" ] && [ "$type" != CPU ]; then chosen="$c"; ADAPTER="$name"; ADAPTER_TYPE="$type"; break; fi
  if [ -n "$name" ] && [ -z "$chosen_any" ]; then chosen_any="$c"; any_name="$name"; any_type="$type"; fi
done
if [ -z "$chosen" ] && [ -n "$chosen_any" ]; then chosen="$chosen_any"; ADAPTER="$any_name"; ADAPTER_TYPE="$any_type"; fi
[ -z "$chosen" ] && [ -n "${FF_GPU_ICD:-}" ] && chosen="$FF_GPU_ICD"
if [ -n "$chosen" ]; then
  export VK_DRIVER_FILES="$chosen" VK_ICD_FILENAMES="$chosen"
  ICD="$chosen"
  { echo; echo "=== chosen: $chosen"; limited 15 vulkaninfo --summary 2>&1; } >> "$VKINFO"
  say "chosen ICD $chosen: adapter ${ADAPTER:-none} (${ADAPTER_TYPE:-?})"
else
  note "no Vulkan ICD sees a device here (tried ${#cands[@]}): WebGPU will not load; the CPU provider still runs"
  { echo; echo "=== no ICD sees a device; the loader's own account:"; VK_LOADER_DEBUG=error,warn,driver limited 15 vulkaninfo --summary 2>&1 | head -c 20000; } >> "$VKINFO"
fi
for f in /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json /usr/share/glvnd/egl_vendor.d/10_nvidia.json /etc/glvnd/egl_vendor.d/10_nvidia.json; do
  [ -f "$f" ] && { export __EGL_VENDOR_LIBRARY_FILENAMES="$f"; break; }
done
T_ICD=$(( $(elapsed) - T_UNPACK ))

# --- 3. doctor, then the command -------------------------------------------------------------
export FFMPEG_PATH="${FFMPEG_PATH:-$FF_CARRIED}"
t=$(elapsed)
limited "$(( $(left) - RESERVE < 60 ? $(left) - RESERVE : 60 ))" "$NODE" "$APP/bin/framefuse.js" doctor --json > "$OUT/doctor.json" 2> "$RUN/doctor.err"
drc=$?
T_DOCTOR=$(( $(elapsed) - t ))
[ "$drc" = 0 ] || note "framefuse doctor --json exited $drc: $(tail -c 600 "$RUN/doctor.err")"
say "doctor: exit $drc in $T_DOCTOR s; webgpu $(grep -A1 '"name": "webgpu"' "$OUT/doctor.json" | grep -o '"available": [a-z]*' | head -1)"

if [ "$MODE" = cli ]; then set -- "$APP/bin/framefuse.js" "$@"; else set -- "$APP/dist/bench/main.js" "$@"; fi
secs=$(( $(left) - RESERVE ))
say "running: node ${*#"$APP/"} ($secs s left)"
t=$(elapsed)
limited "$secs" "$NODE" "$@"
EXIT=$?
T_CMD=$(( $(elapsed) - t ))
if [ "$EXIT" = 124 ] || [ "$EXIT" = 137 ]; then TIMED_OUT=true; STATUS="timed out after $T_CMD s (budget $BUDGET s)"
elif [ "$EXIT" = 0 ]; then STATUS="ok"
else STATUS="the command failed (exit $EXIT)"; fi
