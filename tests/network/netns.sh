#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchtop across two machines, made with two network namespaces joined by a veth pair: in
# "lab", benchtopd serves a simulated stage on 10.231.0.1; in "desk", a second benchtopd
# reaches it as a remote yaq device (driver yaq) and serves it again on its own loopback (a
# gateway, as a window's device would be), and benchtop-yaqcall drives the far stage through
# it. Then the lab's daemon is stopped and started again: the desk's device
# reconnects by itself.
#
# Usage: netns.sh BENCHTOPD YAQCALL. Exit 77 (CTest: skipped) without root or without network
# namespaces (a container that does not allow them), saying why.
set -u
BENCHTOPD=$1
YAQCALL=$2
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root for ip netns"
command -v ip >/dev/null || skip "no ip command (iproute2)"

LAB=bt-lab-$$
DESK=bt-desk-$$
TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    ip netns del "$LAB" 2>/dev/null
    ip netns del "$DESK" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add "$LAB" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$DESK" || exit 1
set -e
ip link add "vl$$" type veth peer name "vd$$"
ip link set "vl$$" netns "$LAB"
ip link set "vd$$" netns "$DESK"
ip -n "$LAB" addr add 10.231.0.1/24 dev "vl$$"
ip -n "$DESK" addr add 10.231.0.2/24 dev "vd$$"
for ns in "$LAB" "$DESK"; do ip -n "$ns" link set lo up; done
ip -n "$LAB" link set "vl$$" up
ip -n "$DESK" link set "vd$$" up
set +e

fail() { echo "FAIL: $*"; echo "--- lab's benchtopd:"; cat "$TMP/lab.log"; echo "--- desk's benchtopd:"; cat "$TMP/desk.log"; exit 1; }
# Waits up to 20 s for a line in a log.
await_log() {
    for _ in $(seq 200); do grep -q "$2" "$1" && return 0; sleep 0.1; done
    return 1
}
# Runs benchtop-yaqcall in the desk namespace until it prints what is expected (20 s).
await_call() {
    local expected=$1; shift
    local out
    for _ in $(seq 100); do
        out=$(ip netns exec "$DESK" "$YAQCALL" --timeout-ms 2000 "$@" 2>&1)
        [[ "$out" == *"$expected"* ]] && return 0
        sleep 0.2
    done
    echo "last answer to $*: $out"
    return 1
}

cat > "$TMP/lab.toml" <<TOML
[stage]
driver = "sim-motor"
port = 36100
speed = 1000
acceleration = 100000
out_of_limits = "error"
TOML
cat > "$TMP/desk.toml" <<TOML
[stage]
driver = "yaq"
address = "10.231.0.1:36100"
port = 36200
poll_busy_ms = 20
poll_idle_ms = 50
reconnect_min_ms = 50
reconnect_max_ms = 200
TOML

start_lab() {
    ip netns exec "$LAB" env BENCHTOP_STATE_DIR="$TMP/lab-state" \
        "$BENCHTOPD" --lab "$TMP/lab.toml" --bind 10.231.0.1 2>>"$TMP/lab.log" &
    LAB_PID=$!
    PIDS+=("$LAB_PID")
    await_log "$TMP/lab.log" "serving stage (sim-motor) on 10.231.0.1:36100" || fail "the lab's daemon did not start"
}
start_lab
ip netns exec "$DESK" env BENCHTOP_STATE_DIR="$TMP/desk-state" \
    "$BENCHTOPD" --lab "$TMP/desk.toml" 2>"$TMP/desk.log" &
PIDS+=("$!")
await_log "$TMP/desk.log" "serving stage (yaq) on 127.0.0.1:36200" || fail "the desk's daemon did not start"

# The desk cannot reach the lab's loopback, only its network address: namespaces are apart.
ip netns exec "$DESK" "$YAQCALL" --timeout-ms 500 127.0.0.1:36100 get_position >/dev/null 2>&1 \
    && fail "the desk reached the lab's port on its own loopback: the namespaces are not apart"

# Through the gateway: the far stage's traits, a move, and where it got to.
await_call "has-position" 127.0.0.1:36200 get_traits || fail "the gateway never learnt the far stage's traits"
ip netns exec "$DESK" "$YAQCALL" 127.0.0.1:36200 set_position 7.5 || fail "set_position through the gateway"
await_call "7.5" 10.231.0.1:36100 get_position || fail "the far stage did not move to 7.5"
await_call "7.5" 127.0.0.1:36200 get_position || fail "the gateway did not see the far stage at 7.5"
# A refusal crosses both hops, word for word.
out=$(ip netns exec "$DESK" "$YAQCALL" 127.0.0.1:36200 set_position 1000 2>&1)
[[ $? == 1 && "$out" == *"outside the limits"* ]] || fail "a refusal through the gateway: $out"

# The lab's daemon goes away and comes back: the desk's device reconnects by itself.
kill -TERM "$LAB_PID"
wait "$LAB_PID"
out=$(ip netns exec "$DESK" "$YAQCALL" --timeout-ms 2000 127.0.0.1:36200 get_position 2>&1)
[[ $? == 1 ]] || fail "a call while the far daemon is down should fail: $out"
start_lab
await_call "7.5" 127.0.0.1:36200 get_position || fail "the desk did not reconnect to the restarted lab"
echo "PASS: served across network namespaces, through a gateway, reconnected after a restart"
