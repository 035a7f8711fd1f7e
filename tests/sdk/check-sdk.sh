#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# usage: check-sdk.sh BUILD_DIR OUT_DIR [CXX_COMPILER [COMPILER_LAUNCHER]]
# The driver SDK from outside the tree: installs the Benchtop build BUILD_DIR into a staging
# prefix, compiles every installed header against it (tests/sdk/headers), builds
# examples/driver — copied out of the tree, so that it can reach nothing but the install —
# against that prefix alone, and checks that the installed benchtop lists the example's kind
# and loads it, and that the installed benchtopd serves a device of it: a measurement and the
# driver's own message over yaq. Everything it makes is under OUT_DIR.
set -euo pipefail
build=$(realpath "$1")
out=$2
cxx=${3:-clang++}
launcher=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
out=$(realpath "$out")
staging=$out/staging

step() { echo "--- $* ($SECONDS s)"; }
fail() { echo "FAIL: $*"; exit 1; }
run_logged() { # run_logged LOG COMMAND...: the command's output only when it fails
    local log=$1; shift
    "$@" >"$log" 2>&1 || { cat "$log"; fail "$* (log: $log)"; }
}

step "install $build into $staging"
run_logged "$out/install.log" cmake --install "$build" --prefix "$staging"
for path in include/benchtop/device/device.h include/benchtop/plugins/driverfactory.h \
            lib/cmake/Benchtop/BenchtopConfig.cmake lib/benchtop/libbenchtop_core.so bin/benchtop; do
    [[ -e "$staging/$path" ]] || fail "not installed: $path"
done

# Configured with the install alone: no source tree, no build tree, no system Benchtop.
configure=(cmake -G Ninja -DCMAKE_PREFIX_PATH="$staging" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
           -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
           -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror")
[[ -n "$launcher" ]] && configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")

step "compile every installed header against the install alone"
run_logged "$out/headers.log" "${configure[@]}" -S "$here/headers" -B "$out/headers"
grep -h "checking .* installed headers" "$out/headers.log" || true
run_logged "$out/headers-build.log" cmake --build "$out/headers"

step "build examples/driver against $staging"
cp -r "$source_root/examples/driver" "$out/src"
run_logged "$out/example.log" "${configure[@]}" -S "$out/src" -B "$out/example"
run_logged "$out/example-build.log" cmake --build "$out/example"
plugin=$out/example/plugins/libbenchtop_example.so
[[ -f "$plugin" ]] || fail "the example's plugin is not in $out/example/plugins"
if grep -qE "$source_root/(core|examples)" "$out/example/compile_commands.json"; then
    fail "the example's build reached into the source tree $source_root"
fi

step "the installed benchtop lists it"
listing=$("$staging/bin/benchtop" --list-plugins --plugin-dir "$out/example/plugins")
echo "$listing"
grep -qF "example 0.1.0 ($plugin)" <<<"$listing" || fail "the example plugin is not listed"
grep -qE "^  example-meter: is-daemon, is-sensor, has-measure-trigger, is-stoppable$" <<<"$listing" \
    || fail "the example's kind is not listed with its traits"
if grep -q "Refused" <<<"$listing"; then fail "a plugin was refused"; fi

step "the installed benchtopd loads it and serves a device of it"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$out/lab.toml" <<TOML
[meter]
driver = "example-meter"
port = $port
integration_ms = 5
TOML
# Its state file goes under OUT_DIR, not the user's data folder.
XDG_DATA_HOME=$out/data "$staging/bin/benchtopd" --lab "$out/lab.toml" \
    --plugin-dir "$out/example/plugins" >"$out/benchtopd.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true' EXIT
for _ in $(seq 200); do
    grep -q ": serving \|exiting" "$out/benchtopd.log" && break
    sleep 0.1
done
grep -q ": serving " "$out/benchtopd.log" || { cat "$out/benchtopd.log"; fail "benchtopd serves nothing"; }
call() { "$staging/bin/benchtop-yaqcall" --timeout-ms 5000 "127.0.0.1:$port" "$@"; }
call set_offset 100 >/dev/null || { cat "$out/benchtopd.log"; fail "set_offset"; }
id=$(call measure) || { cat "$out/benchtopd.log"; fail "measure"; }
# The measurement ends after its integration time: until then get_measured has the one before.
for _ in $(seq 100); do
    measured=$(call get_measured) || true
    python3 -c 'import json, sys; m = json.loads(sys.argv[1]); sys.exit(m["measurement_id"] != int(sys.argv[2]))' \
        "$measured" "$id" 2>/dev/null && break
    sleep 0.05
done
echo "measure -> $id; get_measured -> $measured"
python3 -c 'import json, sys; m = json.loads(sys.argv[1]); sys.exit(not (m["measurement_id"] == int(sys.argv[2]) and 99 <= m["voltage"] <= 101))' \
    "$measured" "$id" || fail "the measurement does not carry the offset"
# The declared parameter is in the device's yaq protocol document: the client refuses a string.
refusal=$(call set_offset nonsense 2>&1) && fail "set_offset took a string"
echo "set_offset nonsense -> $refusal"
# yaq's shutdown ends the daemon it is sent to; benchtopd exits once it served nothing else.
call shutdown >/dev/null || true
for _ in $(seq 50); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
kill -0 "$daemon" 2>/dev/null && { cat "$out/benchtopd.log"; fail "benchtopd did not exit after shutdown"; }
wait "$daemon" || true
trap - EXIT

step "installed with the example's own cmake --install, the installed benchtop finds it by itself"
run_logged "$out/example-install.log" cmake --install "$out/example" --prefix "$staging"
listing=$("$staging/bin/benchtop" --list-plugins)
grep -qF "example 0.1.0 ($staging/lib/benchtop/plugins/libbenchtop_example.so)" <<<"$listing" \
    || { echo "$listing"; fail "the installed example plugin is not found"; }
step "SDK OK"
