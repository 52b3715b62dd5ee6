# SPDX-License-Identifier: GPL-2.0
# tests/vm/cases.sh --- the host-VM test cases, run by /init inside the VM.
#
# Reports with "COTEST ..." lines (see tests/vm/boot) through the TAP helpers
# of tests/lib/tap.sh.  Runs from /tests, where the initramfs has tap.sh,
# colinux.ko, cotest and payload.bin.  Each case is a function case_NAME; a
# kernel command-line word "cotest.cases=a,b" runs only those cases, in the
# usual order (development), "guest-end" being the second half of "guest";
# "cotest.skip=a,b" leaves those out when all cases run;
# "cotest.rounds=N" sets the round-trip count (default 1000000).

. /tests/tap.sh
tap_prefix "COTEST "

# The cases "all" runs, in order, and those that run only when named
# (benchmarks and the hardware audit, each with its own harness).
CASES="badcalls alloc roundtrip owntables debugregs spin nmi mce forwards stuck fault notify kill tsc suspend reserved bench guest guest_mem guest_mce mitigations sigterm cobd cobd_root transport conet conet_tap cofs exec hwreport"
ONLY_CASES="audit guestbench devbench cobdbench"

cases=all skip= rounds=1000000 stress=60
for w in $(cat /proc/cmdline); do
	case $w in
	cotest.stress=*) stress=${w#cotest.stress=} ;;
	cotest.cases=*) cases=${w#cotest.cases=} ;;
	cotest.skip=*) skip=${w#cotest.skip=} ;;
	cotest.rounds=*) rounds=${w#cotest.rounds=} ;;
	esac
done
named() { case ,$cases, in *,$1,*) true ;; *) false ;; esac; }
# "cotest.skip=a,b" leaves cases out of "all" (tests/vm/suite, per model).
skipped() { case ,$skip, in *,$1,*) true ;; *) false ;; esac; }
want() { { [ "$cases" = all ] && ! skipped "$1"; } || named "$1"; }

# cotest prints its own results; a crash or an early exit is one more failure.
cotest() {
	./cotest "$@"
	local rc=$?
	[ $rc = 0 ] || not_ok "cotest $*: exit status $rc"
}

# Free memory in kB as the page allocator has it: every zone's free pages
# plus the pages on its per-CPU lists (MemFree leaves those out, and
# alloc_contig_range drains them into the free pages), with the per-CPU
# counter deltas folded in (vm.stat_refresh) and the caches dropped, so that
# what thousands of finished test processes left in them does not count.
# Memory in a memmap= range is never the allocator's: a guest there does not
# show, so the guest cases run on a module loaded without reserved=.
freemem() {
	sync
	echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk '$1 == "pages" && $2 == "free" { n += $3 } $1 == "count:" { n += $2 }
		END { print n * 4 }' /proc/zoneinfo
}
# Field CPU+2 of the /proc/interrupts row whose name or label matches.
irqs() { awk -v k="$1" -v c=$(($2 + 2)) '$1 == k":" || $NF == k { print $c; exit }' /proc/interrupts; }
# NOW is no more than SLACK kB below REF: within SLACK REF NOW.
within() { [ $(($3 + $1)) -ge "$2" ]; }
# NOW is at least DROP kB below REF: dropped DROP REF NOW.
dropped() { [ $(($2 - $3)) -ge "$1" ]; }

case_badcalls() {
	cotest badcalls
}

case_alloc() {
	local out
	out=$(./cotest alloc 64)
	diag "alloc: $(echo "$out" | tr '\n' ' ')"
	check "alloc: 64 MiB as one 64 MiB-aligned block (alloc_contig_range)" \
		sh -c "echo '$out' | grep -q -E '^block 0x[0-9a-f]*(0|4|8|c)000000 0x4000000'"
	check "alloc: 256 MiB as two 128 MiB blocks" \
		sh -c "./cotest alloc 256 | grep -c '0x8000000\$' | grep -qx 2"
	cotest sizes
}

case_roundtrip() {
	cotest roundtrip "$rounds"
}

case_owntables() {
	cotest owntables $((rounds / 10))
}

# The payload arms a write watchpoint (DR0, DR7) and fills DR1-3: they must
# survive every round trip, and the host's DR7 must be the host's after each
# (the driver's host state check), so no guest breakpoint fires in the host.
case_debugregs() {
	cotest debugregs $((rounds / 10))
}

# Test 3: payload with interrupts on for 30 s on CPU 1, while CPU 0 pings the
# host VM through a NIC whose interrupts go to CPU 1.
case_spin() {
	local irq loc0 cal0 tlb0 eth0 loc1 cal1 tlb1 eth1 mark ping received bad
	insmod /mod/e1000.ko
	sleep 1
	ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up
	irq=$(awk '/eth0/ { sub(":", "", $1); print $1; exit }' /proc/interrupts)
	[ -n "$irq" ] && echo 2 >/proc/irq/$irq/smp_affinity
	loc0=$(irqs LOC 1) cal0=$(irqs CAL 1) tlb0=$(irqs TLB 1) eth0=$(irqs eth0 1)
	mark=$(dmesg | wc -l)
	taskset -c 0 ping -c 28 -i 1 10.0.2.2 >/tmp/ping.log 2>&1 &
	ping=$!
	taskset -c 1 ./cotest spin 30 || not_ok "cotest spin: exit status $?"
	wait $ping
	echo "COTEST lapic 1"
	loc1=$(irqs LOC 1) cal1=$(irqs CAL 1) tlb1=$(irqs TLB 1) eth1=$(irqs eth0 1)
	diag "spin: CPU 1 LOC +$((loc1 - loc0)) CAL +$((cal1 - cal0)) TLB +$((tlb1 - tlb0)) eth0 +$((eth1 - eth0))"
	verdict "spin: host timer ticks on CPU 1 (+$((loc1 - loc0)))" \
		[ $((loc1 - loc0)) -gt 3000 ]
	verdict "spin: IPIs on CPU 1 (TLB +$((tlb1 - tlb0)), CAL +$((cal1 - cal0)))" \
		[ $((tlb1 - tlb0 + cal1 - cal0)) -gt 10 ]
	verdict "spin: NIC interrupts on CPU 1 (+$((${eth1:-0} - ${eth0:-0})))" \
		[ -n "$eth1" -a $((${eth1:-0} - ${eth0:-0})) -gt 20 ]
	received=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
	verdict "spin: ping kept answering (${received:-0} of 28)" \
		[ "${received:-0}" -ge 26 ] || tail -n 3 /tmp/ping.log | diag_indent
	bad=$(dmesg | tail -n +$((mark + 1)) | grep -i -E 'spurious|stall|soft lockup|hard lockup|No irq handler|BUG|WARNING|Call Trace')
	verdict "spin: no spurious-interrupt, RCU-stall or lockup messages" \
		[ -z "$bad" ] || echo "$bad" | head -n 5 | diag_indent
}

# Test 4: the harness injects NMIs from the QEMU monitor.  QEMU delivers them
# through LINT1, which Linux unmasks on the boot CPU only: run the round trips
# on CPU 0.
case_nmi() {
	local n0 n1 mark logged
	n0=$(irqs NMI 0)
	mark=$(dmesg | wc -l)
	taskset -c 0 ./cotest nmi 10 || not_ok "cotest nmi: exit status $?"
	sleep 1
	n1=$(irqs NMI 0)
	logged=$(dmesg | tail -n +$((mark + 1)) | grep -c 'NMI received for unknown reason')
	verdict "nmi: host took the NMIs (CPU 0 NMI +$((n1 - n0)), $logged logged)" \
		[ $((n1 - n0)) -gt 0 -a "$logged" -gt 0 ]
}

# Issue 9, finding 2: machine checks that hit the guest are the host's.  The
# harness injects two (QEMU's mce, one bank each) into the CPU where the
# guest runs with interrupts off: each must reach the host's handler, which
# counts it (/proc/interrupts MCE), taints the kernel (M) and clears
# MCG_STATUS.MCIP; a machine check while MCIP is still set shuts the
# machine down (QEMU: a triple fault), so the host VM's survival of the
# second is the proof that the first was handled.
# The console's interrupts go to CPU 0, or the harness would only read the
# injection requests once the guest has given CPU 1 back.
case_mce() {
	local c0 c1 irq i
	irq=$(awk '/ttyS0/ { sub(":", "", $1); print $1; exit }' /proc/interrupts)
	[ -n "$irq" ] && echo 1 >/proc/irq/$irq/smp_affinity
	# (an IO-APIC interrupt moves when it next fires on its old CPU)
	for i in $(seq 50); do
		[ $((0x$(cat /proc/irq/$irq/effective_affinity))) = 1 ] && break
		diag "mce: waiting for the console's interrupt to move to CPU 0"
		sleep 0.1
	done
	c0=$(irqs MCE 1)
	taskset -c 1 ./cotest mce || not_ok "cotest mce: exit status $?"
	c1=$(irqs MCE 1)
	verdict "mce: the host's handler ran for both on CPU 1 (MCE +$((c1 - c0)))" \
		[ $((c1 - c0)) = 2 ]
	verdict "mce: the host kernel is tainted M (machine check) ($(cat /proc/sys/kernel/tainted))" \
		[ $(($(cat /proc/sys/kernel/tainted) & 16)) = 16 ]
	dmesg | grep -E 'mce:|Machine check|Hardware Error' | tail -n 4 | diag_indent
}

# Issue 9, finding 9: the guest names the vector the host's handler runs
# for; only the local APIC's vector in service is run.  20000 forwards of
# the host's timer vector with none in service would add 20000 timer
# interrupts on CPU 1 (and as many EOIs of nothing); refused, they add none
# and log a few lines only.
case_forwards() {
	local l0 l1 mark lines
	l0=$(irqs LOC 1)
	mark=$(dmesg | wc -l)
	taskset -c 1 ./cotest forwards 20000 || not_ok "cotest forwards: exit status $?"
	l1=$(irqs LOC 1)
	lines=$(dmesg | tail -n +$((mark + 1)) | grep -c 'refused')
	verdict "forwards: no timer handler run for them on CPU 1 (LOC +$((l1 - l0)))" \
		[ $((l1 - l0)) -lt 10000 ]
	verdict "forwards: the refusals logged, rate-limited ($lines lines)" \
		[ "$lines" -ge 1 -a "$lines" -le 12 ]
}

# Issue 9, finding 10: a guest that spins with interrupts off never sees
# the IPI of a kill; the driver's watch sends its CPU an NMI (the host VM
# has no NMI watchdog to do it: nmi_watchdog=0).  Interrupts off on CPU 1
# show as CPU 1's timer count standing still.
loc_still() { local a; a=$(irqs LOC 1); sleep 0.5; [ "$(irqs LOC 1)" = "$a" ]; }
gone() { case $(awk '/^State:/ { print $2 }' /proc/$1/status 2>/dev/null) in ""|Z) true ;; *) false ;; esac; }
case_stuck() {
	local n0 n1 pid i t0 t1 mark unknown
	n0=$(irqs NMI 1)
	mark=$(dmesg | wc -l)
	taskset -c 1 ./cotest stuck >/tmp/stuck.log &
	pid=$!
	for i in $(seq 40); do
		grep -q stuck /tmp/stuck.log && loc_still && break
		sleep 0.25
	done
	verdict "stuck: the guest holds CPU 1 with interrupts off (its timer count stands still)" loc_still
	t0=$(cut -d' ' -f1 /proc/uptime)
	kill -9 $pid
	for i in $(seq 100); do
		gone $pid && break
		sleep 0.1
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	verdict "stuck: kill -9 ended it ($(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s)" gone $pid
	wait $pid 2>/dev/null
	n1=$(irqs NMI 1)
	unknown=$(dmesg | tail -n +$((mark + 1)) | grep -c 'NMI received for unknown reason')
	verdict "stuck: by an NMI to CPU 1 (+$((n1 - n0))), not reported as unknown ($unknown)" \
		[ $((n1 - n0)) -ge 1 -a "$unknown" = 0 ]
}

case_fault() {
	cotest fault
	cotest badsel
	cotest efer
}

# Test 5: a guest's memory is gone while it runs and back after kill -9.
# cotest hold said it holds its guest and free memory fell by DROP kB.
held() { grep -q holding /tmp/hold.log && dropped "$@"; }
case_kill() {
	local m0 m1 m2 pid
	m0=$(freemem)
	./cotest hold 64 >/tmp/hold.log &
	pid=$!
	sleep 3
	m1=$(freemem)
	kill -9 $pid
	wait $pid 2>/dev/null
	sleep 1
	m2=$(freemem)
	verdict "kill: a running guest holds its 64 MiB (free $m0 -> $m1 kB)" \
		held 65536 "$m0" "$m1"
	verdict "kill: all guest memory back after kill -9 (free $m0 -> $m2 kB)" \
		within 4096 "$m0" "$m2"
}

# The TSC is the guest's clock.  Under a hypervisor (the host VM) what the
# host's kernel holds against it is one warning at load, saying why: marked
# unstable (QEMU's AMD-like TCG CPU: "TSCs unsynchronized"), or naming what
# /proc/cpuinfo lacks (TCG has no nonstop_tsc); nothing when neither.
tsc_warned() { dmesg | grep -q "colinux: the host's $1.*a hypervisor's TSC"; }
case_tsc() {
	local missing="" f
	for f in constant_tsc nonstop_tsc; do
		grep -qw $f /proc/cpuinfo || missing="$missing $f"
	done
	if dmesg | grep -q "Marking TSC unstable"; then
		verdict "tsc: the load warned that the TSC is marked unstable" \
			tsc_warned "kernel marked its TSC unstable"
	elif [ -n "$missing" ]; then
		verdict "tsc: the load warned that /proc/cpuinfo lacks$missing" \
			tsc_warned "TSC is not.*lacks$missing)"
	else
		check_fails "tsc: constant and non-stop: no warning at load" \
			sh -c 'dmesg | grep "colinux: .*TSC"'
	fi
}

# Host suspend while a guest exists is refused (suspend stops or resets the
# TSC, the guest's clock), with one line in dmesg.  pm_test=freezer ends a
# suspend to idle once tasks are frozen: without a guest (the control) the
# same write succeeds at once.
freeze() { echo freeze >/sys/power/state; }
case_suspend() {
	local pid mark
	if [ ! -w /sys/power/pm_test ] || ! grep -qw freeze /sys/power/state; then
		skip "suspend" "no pm_test or suspend to idle in this kernel"
		return
	fi
	echo 0 >/sys/module/suspend/parameters/pm_test_delay
	echo freezer >/sys/power/pm_test
	./cotest hold 16 >/tmp/hold.log &
	pid=$!
	wait_for /tmp/hold.log holding 30
	mark=$(dmesg | wc -l)
	check_fails "suspend: refused while a guest runs" freeze
	verdict "suspend: dmesg says why" sh -c "dmesg | tail -n +$((mark + 1)) |
		grep -q 'colinux: suspend refused: 1 guest(s) running'"
	verdict "suspend: the guest runs on" kill -0 $pid
	kill -9 $pid
	wait $pid 2>/dev/null
	check "suspend: goes ahead without a guest (pm_test=freezer)" freeze
	echo none >/sys/power/pm_test
}

# The memmap= range: the module takes blocks from it first.
case_reserved() {
	check "reserved: rmmod colinux" rmmod colinux
	check "reserved: insmod colinux.ko reserved=64M@0x30000000" \
		insmod /tests/colinux.ko reserved=64M@0x30000000
	check "reserved: a 32 MiB guest lands in the memmap= range" \
		sh -c './cotest alloc 32 | grep -q -E "^block 0x3[0-9a-f]{7} 0x2000000"'
	check "reserved: 128 MiB still comes from alloc_contig_range" \
		sh -c './cotest alloc 128 | grep -q "^block"'
	check "reserved: colinux.ko loaded again without reserved=" \
		sh -c 'rmmod colinux && insmod /tests/colinux.ko'
	reserved_refused
}

# reserved= over System RAM or beyond the physical address space: insmod
# fails with a dmesg line that names the reason; an accepted range is
# claimed in /proc/iomem until rmmod.
reserved_refused() {
	check "reserved: rmmod colinux (refusals)" rmmod colinux
	check "reserved: 64M@0x10000000 over System RAM refused" \
		sh -c '! insmod /tests/colinux.ko reserved=64M@0x10000000 &&
			dmesg | tail -n 5 | grep -q "overlaps System RAM"'
	check "reserved: 64M@0xfffffffffc000000 beyond the address space refused" \
		sh -c '! insmod /tests/colinux.ko reserved=64M@0xfffffffffc000000 &&
			dmesg | tail -n 5 | grep -q "physical address space"'
	check "reserved: colinux.ko loaded with reserved= claims it in /proc/iomem" \
		sh -c 'insmod /tests/colinux.ko reserved=64M@0x30000000 &&
			grep -q "30000000-33ffffff : colinux guest RAM" /proc/iomem'
	check "reserved: colinux.ko loaded again without reserved= (refusals)" \
		sh -c 'rmmod colinux && insmod /tests/colinux.ko &&
			! grep -q "colinux guest RAM" /proc/iomem'
}

case_bench() {
	cotest bench 100000
}

# wait_until SECONDS CMD...: until CMD succeeds, once a second, at most
# SECONDS; it gives up at once when the guest's daemon is gone, since
# nothing more will come then.
wait_until() {
	local n=$1 t=0
	shift
	while [ $t -lt "$n" ]; do
		"$@" && return 0
		[ -z "${daemon:-}" ] || kill -0 "$daemon" 2>/dev/null || return 1
		sleep 1
		t=$((t + 1))
	done
	return 1
}
# Wait up to SECONDS for a fixed string in FILE.
wait_for() { wait_until "$3" grep -q -F -- "$2" "$1" 2>/dev/null; }
# wait_size FILE BYTES SECONDS: until FILE holds BYTES, at most SECONDS.
has_size() { [ "$(wc -c <"$1" 2>/dev/null)" -ge "$2" ] 2>/dev/null; }
wait_size() { wait_until "$3" has_size "$1" "$2"; }

# The coLinux guest kernel under colinux-daemon: its console input is a
# FIFO the harness types into, its output (and the daemon's messages) a log.
log=/tmp/guest.log daemon=
up() { cut -d' ' -f1 /proc/uptime; }
guest_start() {
	rm -f /tmp/guest.in "$log"
	mkfifo /tmp/guest.in
	taskset -c 0 ./colinux-daemon --console-socket=none \
		kernel=/tests/vmlinux initrd=/tests/guest.cpio mem=64 "$@" \
		<>/tmp/guest.in >"$log" 2>&1 &
	daemon=$!
}
# Opened read-write, the FIFO never blocks the harness, even when the daemon
# (its only reader) has already gone: the words are then lost, as they would
# be on a terminal, and the next wait_for sees the daemon gone.
guest_type() { echo "$*" 1<>/tmp/guest.in; }
# Wait for the daemon to end; its exit status in $rc.
guest_wait() {
	local t=0
	while kill -0 $daemon 2>/dev/null && [ $t -lt "$1" ]; do
		sleep 1
		t=$((t + 1))
	done
	kill -0 $daemon 2>/dev/null && kill -KILL $daemon
	wait $daemon
	rc=$?
}
# The daemon ended with exit status STATUS and its log has TEXT.
guest_ended() { [ "$rc" = "$1" ] && grep -q -- "$2" "$log"; }
# A guest kernel the daemon refuses (not built for this host yet).
guest_refused() { grep -q -e CONFIG_X86_5LEVEL -e "not a coLinux guest kernel" "$log"; }
# Seconds (2 decimals) until TEXT shows up, polled every 20 ms; 0 if never.
time_until() {
	local t0 n=0
	t0=$(up)
	while ! grep -q -F -- "$1" "$log"; do
		usleep 20000
		n=$((n + 1))
		[ $n -lt $(($2 * 50)) ] || { echo 0; return; }
	done
	awk -v a="$t0" -v b="$(up)" 'BEGIN { printf "%.2f", b - a }'
}
# The log's last lines, without escape sequences (busybox asks the terminal
# for its cursor) and always newline-terminated.
guest_log() {
	tail -n "$1" "$log" | awk '{ gsub(/\033\[[0-9;]*[a-zA-Z]|\r/, ""); print }' |
		diag_indent guest
}
# The count of the first /proc/interrupts row naming a timer, in the
# guest's output after MARKER.
timer_irqs() {
	tr -d '\r' <"$log" | sed -n "/^$1\$/,\$p" | awk 'tolower($0) ~ /timer/ && $2 ~ /^[0-9]+$/ && $1 != "LOC:" { print $2; exit }'
}
# The guest's STRESS line has no bad result and the host's FPU results.
stress_matches() {
	case $1 in
	*" bad=0 "*) [ "fp=${1##*fp=}" = "$2" ] ;;
	*) false ;;
	esac
}

# The guest boots to its shell, keeps time, computes what the host computes
# and powers off; with guest-end, the rest of its life (guest_end).
# "-b " where Linux's machine-check handler waits for every CPU (Intel).
mce_broadcast() { grep -q GenuineIntel /proc/cpuinfo && echo "-b "; }

# Issue 9, findings 2 and 8, the guest kernel's side.  A machine check while
# the coLinux guest runs reaches the guest's #MC handler, which hands it to
# the host through the passage: a shell loop keeps the guest busy on CPU 0
# (where the daemon runs), so that it, not the host, takes them; three are
# injected there one after the other, each waited for in the host's count.
# The guest must answer afterwards and power off with exit status 0.
# (Without the guest's gate the first ends the guest kernel with an oops,
# MCIP still set, and the next resets the host VM.)  And the guest's perf
# events must have left the host's PMU alone.
case_guest_mce() {
	local c0 n i
	guest_start
	wait_for "$log" "guest# " 120
	if guest_refused; then
		guest_wait 10
		skip "guest_mce: boots on this host" "the daemon refused this guest kernel (exit $rc)"
		return
	fi
	verdict "guest_mce: the guest's perf events probe no PMU (the host's)" \
		grep -q "Performance Events: the PMU is the coLinux host's" "$log"
	guest_type 'while :; do :; done & echo BUSY$((0+1))'
	wait_for "$log" "BUSY1" 20
	c0=$(irqs MCE 0)
	for n in 1 2 3; do
		echo "COTEST mce $(mce_broadcast)0 $n 0xb100100000000000 5 0 0"
		for i in $(seq 100); do
			[ $(($(irqs MCE 0) - c0)) -ge $n ] && break
			sleep 0.2
		done
		# The count rises as the handler starts, MCIP clears as it
		# ends: a machine check between would shut CPU 0 down.  A
		# program that ran on CPU 0 shows the handler has returned.
		taskset -c 0 true
	done
	verdict "guest_mce: the host's handler ran for three machine checks on CPU 0 (MCE +$(($(irqs MCE 0) - c0)))" \
		[ $(($(irqs MCE 0) - c0)) = 3 ]
	guest_type 'kill $!; echo MC$((1+1))'
	wait_for "$log" "MC2" 30
	verdict "guest_mce: the guest answers after them, without an oops" \
		sh -c "grep -q MC2 $log && ! grep -q -e Oops -e 'Unexpected int18' $log" ||
		guest_log 10
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "guest_mce: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 10
}

# Issue 9, finding 1.  The barriers around the guest follow the host's own
# policy, as its /sys/devices/system/cpu/vulnerabilities reports it (the
# Intel model clears CPU buffers, the other does not): VERW before each
# entry when the host clears buffers, IBPB after each exit when it uses
# IBPB.  And the guest kernel protects itself from its own user space as
# the host kernel does from its: wherever the host reports a mitigation,
# the guest reports one too, never "Vulnerable" (a guest booted with
# mitigations=off fails here on spectre_v1 and spectre_v2).  (The guest's
# hypervisor bit and the core-wide mitigation controls kept from it are
# checked by tests/hw/report: here the host VM has the bit itself and none
# of those controls.)
case_mitigations() {
	local v=/sys/devices/system/cpu/vulnerabilities want got line f h g
	line=$(dmesg | grep 'around the guest: ' | tail -n 1)
	want=no
	grep -qs "Clear CPU buffers" $v/* && want=yes
	got=$(echo "$line" | sed -n 's/.*CPU buffers cleared before entry: \([a-z]*\).*/\1/p')
	verdict "mitigations: CPU buffers cleared before entry: $got (the host clears them: $want)" \
		[ "$got" = "$want" ]
	want=no
	grep -qs -e "IBPB: conditional" -e "IBPB: always-on" $v/spectre_v2 && want=yes
	got=$(echo "$line" | sed -n 's/.*IBPB after exit: \([a-z]*\).*/\1/p')
	verdict "mitigations: IBPB after exit: $got (the host uses IBPB: $want)" \
		[ "$got" = "$want" ]

	guest_start
	wait_for "$log" "guest# " 120
	if guest_refused; then
		guest_wait 10
		skip "mitigations: the guest's own" "the daemon refused this guest kernel (exit $rc)"
		return
	fi
	guest_type 'for f in /sys/devices/system/cpu/vulnerabilities/*; do echo "GVULN ${f##*/}: $(cat $f)"; done; echo GV$((0+1))'
	wait_for "$log" "GV1" 30
	for f in $v/*; do
		f=${f##*/}
		h=$(cat $v/$f)
		g=$(tr -d '\r' <"$log" | sed -n "s/^GVULN $f: //p")
		case $h in
		Mitigation*) ;;
		*) continue ;;
		esac
		verdict "mitigations: the guest's $f: ${g:-missing} (the host's: $h)" \
			[ -n "$g" -a "${g#Vulnerable}" = "$g" ]
	done
	g=$(tr -d '\r' <"$log" | sed -n "s/^GVULN spectre_v2: //p")
	verdict "mitigations: the guest's spectre_v2: ${g:-missing}" \
		[ "${g#Mitigation}" != "$g" ]
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "mitigations: the guest powers off (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 10
}

case_guest() {
	local m0 m1 m2 i1 i2 t_sleep expect host_stress got hgot
	m0=$(freemem)
	guest_start
	wait_for "$log" "coLinux: guest kernel entered" 60
	# A guest kernel the daemon refuses is a skip: the refusal itself is
	# what the daemon must do.
	if guest_refused; then
		guest_wait 10
		skip "guest: boots on this host" "the daemon refused this guest kernel (exit $rc): $(grep -m1 -o 'kernel=.*' "$log")"
		guest_log 2
	else
		check "guest: the daemon prints the guest's first passage call" \
			grep -q "coLinux: guest kernel entered" "$log"
		wait_for "$log" "Linux version" 60
		check "guest: boot console shows the kernel banner" \
			grep -q "Linux version" "$log"
		wait_for "$log" "guest# " 120
		check "guest: busybox shell prompt on the console" \
			grep -q "guest# " "$log"
		m1=$(freemem)
		verdict "guest: the running guest holds its 64 MiB (free $m0 -> $m1 kB)" \
			dropped 65536 "$m0" "$m1"
		guest_type 'echo R$((1+1))=$(uname -r)'
		wait_for "$log" "R2=" 20
		check "guest: uname -r typed on the console" \
			grep -q "R2=6.1.*-colinux" "$log"
		guest_type 'echo I$((0+1)); cat /proc/interrupts; sleep 2; echo I$((1+1)); cat /proc/interrupts; echo I$((1+2))'
		wait_for "$log" "I3" 30
		i1=$(timer_irqs I1) i2=$(timer_irqs I2)
		verdict "guest: timer interrupts count up in /proc/interrupts (${i1:-none} -> ${i2:-none} in 2 s)" \
			[ -n "$i1" -a -n "$i2" -a "${i2:-0}" -gt "${i1:-0}" ] ||
			tr -d '\r' <"$log" | sed -n '/^I2$/,/^I3$/p' | awk '$2 + 0 > 0' | diag_indent guest
		# 20 s, not 5: each marker reaches the log up to ~0.15 s late
		# when the machine running the host VM is loaded (seen on the
		# Intel model: sleep 5 measured as 4.85 s), which must stay well
		# inside the 2%.
		guest_type 'echo SL$((0+1)); sleep 20; echo SL$((1+1))'
		time_until SL1 30 >/dev/null
		t_sleep=$(time_until SL2 60)
		verdict "guest: sleep 20 took $t_sleep s of host time (within 2%)" \
			awk -v t="$t_sleep" 'BEGIN { exit !(t >= 19.6 && t <= 20.4) }'
		# FPU and system calls in the guest while the host runs the same
		# on the same CPU (the daemon is pinned to CPU 0): every result
		# checked against the host's.
		expect=$(sh /tests/stress 0 | sed 's/.*\(fp=.*\)/\1/')
		taskset -c 0 sh /tests/stress "$stress" >/tmp/host-stress.log &
		host_stress=$!
		guest_type "stress $stress"
		wait_for "$log" "STRESS loops" $((stress + 120))
		wait $host_stress
		got=$(tr -d '\r' <"$log" | grep -a '^STRESS loops' | tail -n 1)
		hgot=$(cat /tmp/host-stress.log)
		verdict "guest: ${stress} s FPU/syscall stress, results match the host's (guest ${got#STRESS }; host ${hgot#STRESS })" \
			stress_matches "$got" "$expect" ||
			{ diag "expected $expect"; guest_log 4; }
		guest_type 'poweroff -f'
		guest_wait 30
		verdict "guest: poweroff ends the daemon with exit status 0 (exit $rc)" \
			guest_ended 0 "guest powered off" || guest_log 10
		sleep 1
		m2=$(freemem)
		verdict "guest: all guest memory back after poweroff (free $m0 -> $m2 kB)" \
			within 4096 "$m0" "$m2"
	fi
	want guest-end && grep -q "guest powered off" "$log" && guest_end
	sleep 1
	m2=$(freemem)
	verdict "guest: all guest memory back after every daemon run (free $m0 -> $m2 kB)" \
		within 4096 "$m0" "$m2"
}

# The rest of a guest's life: reboot, panic, SIGTERM, colinux-console.
guest_end() {
	local n mp m
	# reboot with --restart boots again; poweroff then ends it.
	guest_start --restart
	wait_for "$log" "guest# " 120
	guest_type 'reboot -f'
	wait_until 120 sh -c '[ "$(grep -c "GUEST init" "$1")" -ge 2 ]' - "$log"
	wait_for "$log" "booting the guest again" 1
	n=$(grep -c "GUEST init" "$log")
	sleep 2
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "guest: reboot with --restart boots the guest again, poweroff then exits 0 ($n boots, exit $rc)" \
		[ "$n" = 2 -a "$rc" = 0 ] || guest_log 6

	# A guest panic: the daemon reports it and exits 2, the host is fine
	# and has its memory back.
	mp=$(freemem)
	guest_start rdinit=/bin/false
	guest_wait 120
	verdict "guest: a guest panic is reported (exit $rc): $(grep -m1 -o 'guest kernel panic.*' "$log" | head -c 80)" \
		guest_ended 2 "guest kernel panic: " || guest_log 6
	sleep 1
	m=$(freemem)
	verdict "guest: all guest memory back after the panic (free $mp -> $m kB)" \
		within 4096 "$mp" "$m"

	# SIGTERM to the daemon while the guest idles at its prompt.
	guest_start
	wait_for "$log" "guest# " 120
	kill -TERM $daemon
	guest_wait 30
	verdict "guest: SIGTERM stops the daemon cleanly (exit $rc)" \
		guest_ended 0 "stopped by" || guest_log 4

	# colinux-console attaches through the daemon's socket.
	rm -f /tmp/co.sock /tmp/cc.out
	guest_start --console-socket=/tmp/co.sock
	wait_for "$log" "guest# " 120
	(sleep 1; echo 'echo C$((2+2))OK'; sleep 3; echo 'poweroff -f'; sleep 5) |
		./colinux-console /tmp/co.sock >/tmp/cc.out 2>&1 &
	guest_wait 60
	sleep 1
	verdict "guest: colinux-console types into the console and sees the output (exit $rc)" \
		console_saw C4OK || tail -n 3 /tmp/cc.out | diag_indent console
}
# The daemon exited 0 and TEXT is both in colinux-console's output and in
# the log.
console_saw() { guest_ended 0 "$1" && grep -q -- "$1" /tmp/cc.out; }

# cobd: disks of the busybox guest on images in the host VM's RAM.  cobd0
	# random data, cobd2 read-only, cobd3 a size that is not a multiple of 512,
# cobd4 a file without write permission, no cobd1 (the names follow the
# unit, not the order).
case_cobd() {
	local h m m0
	dd if=/dev/urandom of=/tmp/cobd0.img bs=1M count=16 2>/dev/null
	cp /tmp/cobd0.img /tmp/cobd0.orig
	dd if=/dev/urandom of=/tmp/cobd2.img bs=1M count=4 2>/dev/null
	cp /tmp/cobd2.img /tmp/cobd2.orig
	dd if=/dev/urandom of=/tmp/cobd3.img bs=1000 count=1000 2>/dev/null
	dd if=/dev/zero of=/tmp/cobd4.img bs=1M count=1 2>/dev/null
	chmod 444 /tmp/cobd4.img
	h=$(md5sum </tmp/cobd0.img | cut -d' ' -f1)
	m0=$(freemem)
	guest_start -v --restart cobd0=/tmp/cobd0.img cobd2=/tmp/cobd2.img,ro \
		cobd3=/tmp/cobd3.img cobd4=/tmp/cobd4.img
	if ! wait_for "$log" "guest# " 120; then
		not_ok "cobd: the guest boots with three disks"
		guest_log 10
		guest_wait 5
		return
	fi
	guest_type 'echo S$((0+1)):$(cat /sys/block/cobd0/serial):$(cat /sys/block/cobd2/serial):$(cat /sys/block/cobd2/ro):$(cat /sys/block/cobd3/size):$(ls /dev/cobd1 2>/dev/null | wc -l):$(cat /sys/block/cobd4/ro)'
	wait_for "$log" "S1:" 30
	verdict "cobd: serials cobd0 and cobd2, cobd2 read-only, cobd3 of 1953 whole sectors, no cobd1, cobd4 (mode 0444) read-only ($(tr -d '\r' <"$log" | grep -a -m1 '^S1:'))" \
		grep -q "^S1:cobd0:cobd2:1:1953:0:1" "$log" || guest_log 6
	check "cobd: the daemon says cobd3's size is not a multiple of 512" \
		grep -q "cobd3=/tmp/cobd3.img: size 1000000 is not a multiple of 512" "$log"

	guest_type 'echo M$((0+1))=$(md5sum </dev/cobd0)'
	wait_for "$log" "M1=" 120
	m=$(tr -d '\r' <"$log" | grep -a -m1 '^M1=' | cut -c4- | cut -d' ' -f1)
	verdict "cobd: the guest reads the whole disk, checksum as on the host ($m)" \
		[ "$m" = "$h" ] || guest_log 4

	# Write 1 MiB (a copy of MiB 1 at MiB 3), sync, and look on the host
	# while the guest still runs.
	guest_type 'dd if=/dev/cobd0 of=/dev/cobd0 bs=1M skip=1 seek=3 count=1 conv=fsync 2>/dev/null; sync; echo W$((0+1))=$?'
	wait_for "$log" "W1=" 60
	cp /tmp/cobd0.orig /tmp/cobd0.want
	dd if=/tmp/cobd0.orig of=/tmp/cobd0.want bs=1M skip=1 seek=3 count=1 conv=notrunc 2>/dev/null
	verdict "cobd: a guest write is in the image after sync, nothing else changed" \
		cmp -s /tmp/cobd0.img /tmp/cobd0.want || guest_log 4
	rm -f /tmp/cobd0.want

	# Discard punches a hole in the image: zeros, fewer blocks.
	h=$(stat -c %b /tmp/cobd0.img)
	guest_type 'blkdiscard -o 4194304 -l 2097152 /dev/cobd0; echo D$((0+1))=$?'
	wait_for "$log" "D1=" 30
	m=$(stat -c %b /tmp/cobd0.img)
	verdict "cobd: a discard in the guest punches a hole (MiB 4-5 zeros, $h -> $m blocks)" \
		sh -c "[ \$(dd if=/tmp/cobd0.img bs=1M skip=4 count=2 2>/dev/null | md5sum | cut -c1-32) = \$(dd if=/dev/zero bs=1M count=2 2>/dev/null | md5sum | cut -c1-32) ] && [ $m -le $((h - 4096)) ]" ||
		guest_log 4

	guest_type 'dd if=/dev/zero of=/dev/cobd2 bs=512 count=1 conv=fsync 2>/dev/null; echo R$((0+1))=$?'
	wait_for "$log" "R1=" 30
	verdict "cobd: writing the read-only disk fails in the guest, the image is unchanged" \
		sh -c "tr -d '\r' <$log | grep -q '^R1=[1-9]' && cmp -s /tmp/cobd2.img /tmp/cobd2.orig" ||
		guest_log 4

	# A second daemon on the same image is refused and names the holder.
	./colinux-daemon --console-socket=none kernel=/tests/vmlinux \
		cobd0=/tmp/cobd0.img >/tmp/second.log 2>&1
	m=$?
	verdict "cobd: a second daemon on the image is refused (exit $m): $(head -c 120 /tmp/second.log)" \
		sh -c "[ $m = 1 ] && grep -q 'cobd0=/tmp/cobd0.img: locked by process $daemon' /tmp/second.log"

	# A reboot resets the devices and attaches them to the new boot.
	h=$(md5sum </tmp/cobd0.img | cut -d' ' -f1)
	guest_type 'reboot -f'
	for m in $(seq 120); do
		[ "$(grep -c 'GUEST init' "$log")" -ge 2 ] && break
		sleep 1
	done
	sleep 2
	guest_type 'echo N$((0+1))=$(md5sum </dev/cobd0)'
	wait_for "$log" "N1=" 120
	m=$(tr -d '\r' <"$log" | grep -a -m1 '^N1=' | cut -c4- | cut -d' ' -f1)
	verdict "cobd: after a reboot (--restart) the disk reads as the host has it ($m)" \
		[ "$m" = "$h" ] || guest_log 4
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "cobd: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 6
	# With the driver's ioeventfds no notification leaves RUN.
	m=$(grep -a -m1 'cobd0: [0-9]* requests' "$log")
	verdict "cobd: notifications answered in the driver (${m#*cobd0: })" \
		sh -c "echo '$m' | grep -q ' 0 notifications to the daemon'"
	m=$(freemem)
	verdict "cobd: all guest memory back after the daemon (free $m0 -> $m kB)" \
		within 4096 "$m0" "$m"
	cobd_errors
	rm -f /tmp/cobd*.img /tmp/cobd*.orig
}

# conet: eth0=slirp (restricted) for the busybox guest.  DHCP gives
# 10.0.2.15; two forwards carry data both ways between the host VM's loopback
# and the guest, checked byte for byte; restricted, the guest reaches no
# server of the host VM through 10.0.2.2, unrestricted it does.
net_said() { tr -d '\r' <"$log" | grep -a -m1 "^$1" | cut -d= -f2; }

# listen PORT FILE [PREFIX...]: a TCP listener of the host VM (under PREFIX:
# nsenter, or nothing) writing what arrives to FILE.  Its stdin is a sleep
# that stays open, since at EOF busybox nc closes its side; listen_stop ends
# both processes, which also ends the sender's connection.
listen() {
	local port=$1 file=$2
	shift 2
	rm -f /tmp/listen.hold
	sh -c 'echo $$ >/tmp/listen.hold; exec sleep 600' |
		"$@" nc -l -p "$port" >"$file" 2>/dev/null &
	listener=$!
}
listen_stop() {
	kill $listener $(cat /tmp/listen.hold 2>/dev/null) 2>/dev/null
	wait $listener 2>/dev/null
	rm -f /tmp/listen.hold
}
case_conet() {
	local h m
	ip link set lo up # the forwards listen on the host VM's 127.0.0.1
	dd if=/dev/urandom of=/tmp/up.data bs=1k count=300 2>/dev/null
	guest_start -v eth0=slirp,,tcp:8080:80/tcp:8081:81,restrict
	if ! wait_for "$log" "guest# " 120; then
		not_ok "conet: the guest boots with eth0"
		guest_log 10
		guest_wait 5
		return
	fi
	guest_type 'udhcpc -i eth0 -n -q -t 5 -T 1 >/dev/null 2>&1; echo A$((0+1))=$(ip -4 addr show eth0 | grep -o "inet [0-9./]*")'
	wait_for "$log" "A1=" 60
	m=$(net_said A1)
	verdict "conet: DHCP gives the guest 10.0.2.15/24 ($m)" \
		[ "$m" = "inet 10.0.2.15/24" ] || guest_log 6
	m=$(grep -a -m1 -o 'eth0: slirp, MAC [0-9a-f:]*' "$log")
	check "conet: a locally administered MAC derived from the configuration (${m#*MAC })" \
		sh -c "echo '$m' | grep -q 'MAC 02:'"

	# Guest -> host VM: a guest httpd through tcp:8080:80, asked by nc (the
	# body is the response's last 512000 bytes).
	guest_type 'mkdir -p /tmp/www; dd if=/dev/urandom of=/tmp/www/d bs=1k count=500 2>/dev/null; httpd -p 80 -h /tmp/www; echo G$((0+1))=$(md5sum </tmp/www/d)'
	wait_for "$log" "G1=" 30
	h=$(net_said G1 | cut -d' ' -f1)
	(printf 'GET /d HTTP/1.0\r\n\r\n'; sleep 20) |
		timeout 60 nc 127.0.0.1 8080 >/tmp/down.data 2>/tmp/wget.out
	m=$(tail -c 512000 /tmp/down.data | md5sum | cut -d' ' -f1)
	verdict "conet: the host VM fetches 500 KiB from the guest's httpd through tcp:8080:80, byte for byte ($m)" \
		sh -c "[ -n '$h' ] && [ '$m' = '$h' ] && head -n 1 /tmp/down.data | grep -q '200 OK'" ||
		{ head -c 300 /tmp/down.data | diag_indent http; diag_indent nc </tmp/wget.out; guest_log 4; }

	# Host VM -> guest, a stream into a guest nc through tcp:8081:81.
	guest_type 'timeout 60 nc -l -p 81 >/tmp/up.data; echo U$((0+1))=$(md5sum </tmp/up.data)'
	sleep 2
	nc -w 30 127.0.0.1 8081 </tmp/up.data
	wait_for "$log" "U1=" 60
	h=$(md5sum </tmp/up.data | cut -d' ' -f1)
	m=$(net_said U1 | cut -d' ' -f1)
	verdict "conet: 300 KiB from the host VM reach the guest's nc through tcp:8081:81, byte for byte ($m)" \
		[ "$m" = "$h" ] || guest_log 4

	# Restricted: a server on the host VM's loopback stays out of reach.
	rm -f /tmp/reach.out
	nc -l -p 9000 >/tmp/reach.out 2>&1 &
	h=$!
	guest_type 'echo hello | nc -w 5 10.0.2.2 9000; echo R$((0+1))=$?'
	wait_for "$log" "R1=" 30
	kill $h 2>/dev/null
	wait $h 2>/dev/null
	verdict "conet: restricted, the guest does not reach the host VM's 127.0.0.1:9000 through 10.0.2.2 ($(net_said R1))" \
		sh -c "[ ! -s /tmp/reach.out ] && [ -n \"$(net_said R1)\" ] && [ \"$(net_said R1)\" != 0 ]" ||
		guest_log 4

	guest_type 'poweroff -f'
	guest_wait 30
	verdict "conet: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 6
	m=$(grep -a -m1 'eth0: [0-9]* frames sent' "$log")
	diag "${m#*eth0: }"

	conet_outbound

	# A forward's port in use: one line naming it, exit 1.
	nc -l -p 8080 >/dev/null 2>&1 &
	h=$!
	sleep 1
	m=$(./colinux-daemon --console-socket=none kernel=/tests/vmlinux eth0=slirp,,tcp:8080:80 2>&1)
	rc=$?
	kill $h 2>/dev/null
	wait $h 2>/dev/null
	verdict "conet: a forward's port in use is refused (exit $rc): $m" \
		sh -c "[ $rc = 1 ] && echo '$m' | grep -q 'eth0: tcp:127.0.0.1:8080: Address already in use'"
	rm -f /tmp/up.data /tmp/down.data /tmp/reach.out /tmp/wget.out
}

# Not restricted, the guest reaches a server on the host VM's loopback
# through 10.0.2.2 (the host VM's own NIC is QEMU's restrict=on: nothing
# goes further).  200 KiB from the guest, byte for byte.
conet_outbound() {
	local h m
	rm -f /tmp/out.data
	listen 9001 /tmp/out.data
	guest_start eth0=slirp
	if ! wait_for "$log" "guest# " 120; then
		not_ok "conet: the guest boots with an unrestricted eth0"
		listen_stop
		guest_wait 5
		return
	fi
	# The guest's nc ends when the listener goes, once all has arrived;
	# its timeout only bounds a failure (generous: a loaded machine moved
	# only 72 KiB in 20 s).
	guest_type 'udhcpc -i eth0 -n -q -t 5 -T 1 >/dev/null 2>&1; dd if=/dev/urandom of=/tmp/o bs=1k count=200 2>/dev/null; timeout 150 nc 10.0.2.2 9001 </tmp/o; echo O$((0+1))=$(md5sum </tmp/o)'
	wait_size /tmp/out.data 204800 180
	listen_stop
	wait_for "$log" "O1=" 180
	h=$(net_said O1 | cut -d' ' -f1)
	m="$(md5sum </tmp/out.data | cut -d' ' -f1), $(wc -c </tmp/out.data) bytes"
	verdict "conet: unrestricted, the guest sends 200 KiB to the host VM's 127.0.0.1:9001 through 10.0.2.2, byte for byte ($m)" \
		[ -n "$h" -a "$m" = "$h, 204800 bytes" ] || guest_log 4
	guest_type 'poweroff -f'
	guest_wait 30
	rm -f /tmp/out.data
}

# Configuration errors: one line naming the key and the reason, exit 1,
# before any guest runs.
cobd_errors() {
	local args want out r
	mkdir -p /tmp/cobd.dir
	dd if=/dev/zero of=/tmp/cobdx.img bs=1M count=1 2>/dev/null
	while IFS='|' read -r args want; do
		out=$(./colinux-daemon --console-socket=none kernel=/tests/vmlinux $args 2>&1)
		r=$?
		verdict "cobd: $args refused: $want (exit $r)" \
			sh -c "[ $r = 1 ] && [ \$(printf '%s\n' \"\$1\" | wc -l) = 1 ] && printf '%s\n' \"\$1\" | grep -q -F \"\$2\"" \
			- "$out" "$want" || diag "$out"
	done <<-END
	cobd0=/tmp/none.img|cobd0=/tmp/none.img: no such file
	cobd0=/tmp/cobd.dir|cobd0=/tmp/cobd.dir: is a directory
	cobd0=/tmp/cobdx.img cobd1=/tmp/cobdx.img|cobd1=/tmp/cobdx.img: the same image as cobd0
	cobd32=/tmp/cobdx.img|cobd32: index out of range
	END
	rmdir /tmp/cobd.dir
}

# The guest's root file system on cobd0, no initramfs: an ext4 image that
# colinux-img create --from made of busybox and tests/vm/guest-init.
# conet on the host VM's own network: eth0=tuntap (a tap the daemon creates,
# 192.168.77.1/24 on the host VM's side) and eth0=pcap-bridge (a packet
# socket on one end of a veth pair whose other end is in a network
# namespace with 192.168.78.1/24).  Each time the guest (static address .2)
# and the host side ping each other, and 300 KiB cross by TCP each way, byte
# for byte; the refusals are one line naming the key, exit 1.
case_conet_tap() {
	insmod /mod/tun.ko 2>/dev/null
	insmod /mod/veth.ko 2>/dev/null
	ip link set lo up
	dd if=/dev/urandom of=/tmp/up.data bs=1k count=300 2>/dev/null
	conet_tuntap
	conet_bridge
	rm -f /tmp/up.data /tmp/tcp.in
}

# Ping and TCP both ways between the guest at @2 and @1; the host side's
# commands run under @3... (nsenter for a namespace, nothing for the host VM).
net_exchange() {
	local what=$1 me=$2 peer=$3 h m
	shift 3
	guest_type "ip addr add $me/24 dev eth0; ip link set eth0 up; ping -c 3 -W 5 $peer >/dev/null; echo P\$((0+1))=\$?"
	wait_for "$log" "P1=" 60
	verdict "$what: the guest pings $peer ($(net_said P1))" \
		[ "$(net_said P1)" = 0 ] || guest_log 6
	check "$what: $peer pings the guest at $me" \
		"$@" ping -c 3 -W 5 "$me"

	rm -f /tmp/tcp.in
	listen 9100 /tmp/tcp.in "$@"
	sleep 1
	guest_type "dd if=/dev/urandom of=/tmp/o bs=1k count=300 2>/dev/null; timeout 90 nc $peer 9100 </tmp/o; echo O\$((0+1))=\$(md5sum </tmp/o)"
	wait_size /tmp/tcp.in 307200 120
	listen_stop
	wait_for "$log" "O1=" 120
	h=$(net_said O1 | cut -d' ' -f1)
	m="$(md5sum </tmp/tcp.in | cut -d' ' -f1), $(wc -c </tmp/tcp.in) bytes"
	verdict "$what: 300 KiB by TCP from the guest to $peer, byte for byte ($m)" \
		[ -n "$h" -a "$m" = "$h, 307200 bytes" ] || guest_log 4

	guest_type 'timeout 60 nc -l -p 9101 >/tmp/i; echo I$((0+1))=$(md5sum </tmp/i)'
	sleep 2
	"$@" timeout 60 nc "$me" 9101 </tmp/up.data
	wait_for "$log" "I1=" 60
	h=$(md5sum </tmp/up.data | cut -d' ' -f1)
	m=$(net_said I1 | cut -d' ' -f1)
	verdict "$what: 300 KiB by TCP from $peer to the guest, byte for byte ($m)" \
		[ "$m" = "$h" ] || guest_log 4
}

# The daemon refuses each "ARGS|LINE" on stdin: exit 1, one line with LINE;
# under @1... (unshare -U: no capabilities).
conet_refused() {
	local args want out r
	while IFS='|' read -r args want; do
		out=$("$@" ./colinux-daemon --console-socket=none kernel=/tests/vmlinux $args 2>&1)
		r=$?
		verdict "conet: ${1:+$1 }$args refused: $want (exit $r)" \
			sh -c "[ $r = 1 ] && [ \$(printf '%s\n' \"\$1\" | wc -l) = 1 ] && printf '%s\n' \"\$1\" | grep -q -F \"\$2\"" \
			- "$out" "$want" || diag "$out"
	done
}

conet_tuntap() {
	local m t
	# eth1 without a name: the kernel picks one, the log says which.
	guest_start -v eth0=tuntap,cotap0 eth1=tuntap
	if ! wait_for "$log" "guest# " 120; then
		not_ok "conet_tap: the guest boots with eth0=tuntap,cotap0"
		guest_log 10
		guest_wait 5
		return
	fi
	check "conet_tap: the daemon made the tap cotap0" ip link show cotap0
	t=$(grep -a -m1 -o 'eth1: tuntap: host interface [a-z0-9]*' "$log")
	t=${t##* }
	verdict "conet_tap: without a name the kernel names the tap ($t)" \
		sh -c "[ -n '$t' ] && ip link show '$t' >/dev/null"
	ip addr add 192.168.77.1/24 dev cotap0
	ip link set cotap0 up
	net_exchange conet_tap 192.168.77.2 192.168.77.1
	# the guest took every offload: the tap hands it partial checksums
	# and 64 KiB segments
	m=$(grep -a -m1 -o 'eth0: tuntap cotap0: offloads [0-9a-fx]*' "$log")
	verdict "conet_tap: TUNSETOFFLOAD csum, tso4, tso6 for the guest (${m##* })" \
		[ "${m##* }" = 0x7 ]

	conet_refused <<-END
	eth0=tuntap,cotap0|eth0: tuntap cotap0: busy: another program has the tap open
	eth0=tuntap,lo|eth0: tuntap lo: the name belongs to an interface that is not a tap
	eth0=tuntap,cotap0123456789ab|eth0: tuntap: interface name 'cotap0123456789ab' is longer than 15 characters
	END
	conet_refused unshare -U <<-END
	eth0=tuntap,cotapx|eth0: tuntap cotapx: not permitted (needs root or CAP_NET_ADMIN
	END

	guest_type 'poweroff -f'
	guest_wait 30
	verdict "conet_tap: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 6
	m=$(grep -a -m1 'eth0: [0-9]* frames sent' "$log")
	diag "${m#*eth0: }"
	verdict "conet_tap: the tap goes with the daemon" \
		sh -c '! ip link show cotap0 2>/dev/null'
}

conet_bridge() {
	local m ns
	ip link add cobr0 type veth
	m=$(ip -o link show cobr0 | sed -n 's/^[0-9]*: cobr0@\([^:]*\):.*/\1/p')
	ip link set "$m" name cobr1
	unshare -n sleep 600 &
	ns=$!
	sleep 1
	ip link set cobr1 netns $ns
	nsenter -t $ns -n ip link set lo up
	nsenter -t $ns -n ip addr add 192.168.78.1/24 dev cobr1
	nsenter -t $ns -n ip link set cobr1 up

	conet_refused <<-END
	eth0=pcap-bridge,cobr0|eth0: pcap-bridge cobr0: the interface is down
	eth0=pcap-bridge,cobr9|eth0: pcap-bridge cobr9: no such interface
	eth0=pcap-bridge|eth0: pcap-bridge needs the host interface
	END
	conet_refused unshare -U <<-END
	eth0=pcap-bridge,cobr0|eth0: pcap-bridge cobr0: Operation not permitted (needs root or CAP_NET_RAW)
	END

	ip link set cobr0 up
	guest_start -v eth0=pcap-bridge,cobr0
	if wait_for "$log" "guest# " 120; then
		net_exchange conet_bridge 192.168.78.2 192.168.78.1 \
			nsenter -t $ns -n
		guest_type 'poweroff -f'
		guest_wait 30
		verdict "conet_bridge: poweroff ends the daemon with exit status 0 (exit $rc)" \
			guest_ended 0 "guest powered off" || guest_log 6
		m=$(grep -a -m1 'eth0: [0-9]* frames sent' "$log")
		diag "${m#*eth0: }"
	else
		not_ok "conet_bridge: the guest boots with eth0=pcap-bridge,cobr0"
		guest_log 10
		guest_wait 5
	fi
	kill $ns
	wait $ns 2>/dev/null
	ip link del cobr0
}

# cofs: cofs0=/tmp/share (owned by 1000:1000) and cofs1, the same folder
# read-only, for the busybox guest over 9P2000.L.  The guest reads what the
# host VM put there, writes, renames, removes and makes directories, and the
# host VM checks contents and owners; 1 MiB goes both ways byte for byte.
# Escapes: host-side symlinks to a folder outside the share and to "..",
# guest symlinks to /, ".." at the mount root, a FIFO and device nodes: the
# file outside stays unread and unchanged, nothing appears outside.
cofs_said() { tr -d '\r' <"$log" | grep -a -m1 "^$1=" | cut -d= -f2-; }
cofs_ask() {
	guest_type "$2; echo $1\$((0+1))=\$?"
	wait_for "$log" "${1}1=" "${3:-60}"
}
case_cofs() {
	local m s
	rm -rf /tmp/share /tmp/outside
	mkdir -p /tmp/share/sub /tmp/outside
	echo "hello from the host VM" >/tmp/share/hello
	echo "inner" >/tmp/share/sub/inner
	echo "remove me" >/tmp/share/gone
	echo TOPSECRET >/tmp/outside/secret
	touch -d '2020-01-01 00:00:00' /tmp/outside/secret
	s=$(stat -c '%X %Y %Z' /tmp/outside/secret)
	ln -s /tmp/outside /tmp/share/hostlink
	ln -s .. /tmp/share/up
	mkfifo /tmp/share/fifo
	mknod /tmp/share/hostdisk b 1 0
	dd if=/dev/urandom of=/tmp/share/big bs=64k count=16 2>/dev/null
	chown -R 1000:1000 /tmp/share
	guest_start -v cofs0=/tmp/share cofs1=/tmp/share,ro
	if ! wait_for "$log" "guest# " 120; then
		not_ok "cofs: the guest boots with cofs0 and cofs1"
		guest_log 10
		guest_wait 5
		return
	fi
	cofs_ask A 'mkdir -p /mnt /ro /sub && mount -t 9p -o trans=virtio,version=9p2000.L cofs0 /mnt'
	verdict "cofs: the guest mounts cofs0 (mount -t 9p -o trans=virtio,version=9p2000.L cofs0 /mnt)" \
		[ "$(cofs_said A1)" = 0 ] || guest_log 8
	guest_type 'echo B$((0+1))=$(cat /mnt/hello)'
	wait_for "$log" "B1=" 30
	verdict "cofs: the guest reads the host VM's file ($(cofs_said B1))" \
		[ "$(cofs_said B1)" = "hello from the host VM" ] || guest_log 4

	cofs_ask C 'echo guest-data >/mnt/new && mv /mnt/new /mnt/renamed && rm /mnt/gone && mkdir /mnt/gdir && echo x >/mnt/gdir/f'
	verdict "cofs: the guest writes, renames, removes and makes a directory (status $(cofs_said C1))" \
		[ "$(cofs_said C1)" = 0 ] || guest_log 4
	verdict "cofs: the host VM sees it: renamed holds the data, new and gone are gone" \
		sh -c '[ "$(cat /tmp/share/renamed)" = guest-data ] && [ ! -e /tmp/share/new ] && [ ! -e /tmp/share/gone ] && [ "$(cat /tmp/share/gdir/f)" = x ]'
	m=$(stat -c %u:%g /tmp/share/renamed /tmp/share/gdir /tmp/share/gdir/f | sort -u | tr '\n' ' ')
	verdict "cofs: what the guest made belongs to the share's owner ($m)" \
		[ "$m" = "1000:1000 " ]

	guest_type 'echo D$((0+1))=$(md5sum </mnt/big | cut -c1-32)'
	wait_for "$log" "D1=" 60
	m=$(md5sum </tmp/share/big | cut -c1-32)
	verdict "cofs: 1 MiB read in the guest, checksum as on the host ($(cofs_said D1))" \
		[ "$(cofs_said D1)" = "$m" ] || guest_log 4
	cofs_ask P 'cp /mnt/big /mnt/big2'
	verdict "cofs: 1 MiB written by the guest, byte for byte" \
		cmp -s /tmp/share/big /tmp/share/big2

	guest_type 'echo E$((0+1))=$(ls /mnt | tr "\n" " ")'
	wait_for "$log" "E1=" 30
	verdict "cofs: the guest lists the folder ($(cofs_said E1))" \
		sh -c "echo '$(cofs_said E1)' | grep -q 'big big2 fifo gdir hello hostdisk hostlink renamed sub up'"

	# Escapes.  Symlinks are resolved by the guest in the guest; the server
	# follows none.
	guest_type 'echo F$((0+1))=$(cat /mnt/hostlink/secret /mnt/up/outside/secret /mnt/../tmp/outside/secret 2>&1 | grep -c TOPSECRET)'
	wait_for "$log" "F1=" 30
	cofs_ask G 'ln -s / /mnt/groot && echo escaped >/mnt/groot/tmp/escaped'
	cofs_ask H 'timeout 10 cat /mnt/fifo; timeout 10 dd if=/mnt/hostdisk of=/dev/null count=1; mkfifo /mnt/gfifo || mknod /mnt/gdev b 8 0 || echo refused >/dev/null; [ ! -e /mnt/gfifo ] && [ ! -e /mnt/gdev ]'
	verdict "cofs: the file outside the share is not read through host symlinks or .. (matches: $(cofs_said F1))" \
		[ "$(cofs_said F1)" = 0 ] || guest_log 4
	verdict "cofs: a guest symlink to / writes into the guest, not the host VM" \
		sh -c '[ ! -e /tmp/escaped ] && [ "$(readlink /tmp/share/groot)" = / ]'
	verdict "cofs: the FIFO and the device node are not opened, mkfifo and mknod refused (status $(cofs_said H1))" \
		[ "$(cofs_said H1)" = 0 ] || guest_log 6
	verdict "cofs: the file outside is unread and unchanged" \
		sh -c "[ '$(stat -c '%X %Y %Z' /tmp/outside/secret)' = '$s' ] && [ \"\$(cat /tmp/outside/secret)\" = TOPSECRET ]"

	# The read-only share; a subdirectory as aname (a virtio-9p device
	# takes one mount at a time: Linux's channel is then in use).
	cofs_ask J 'mount -t 9p -o trans=virtio,version=9p2000.L cofs1 /ro && cat /ro/hello >/dev/null && ! echo no >/ro/nope && ! rm /ro/hello && ! mkdir /ro/d && ! mv /ro/hello /ro/h2'
	verdict "cofs: cofs1 (,ro) reads and refuses every change (status $(cofs_said J1))" \
		sh -c "[ '$(cofs_said J1)' = 0 ] && [ ! -e /tmp/share/nope ] && [ -e /tmp/share/hello ]" || guest_log 6
	guest_type 'umount /ro; umount /mnt; mount -t 9p -o trans=virtio,version=9p2000.L,aname=../outside cofs0 /sub; echo X$((0+1))=$(ls /sub | grep -c secret)'
	wait_for "$log" "X1=" 30
	verdict "cofs: aname=../outside is refused (entries named secret: $(cofs_said X1))" \
		[ "$(cofs_said X1)" = 0 ] || guest_log 4
	guest_type 'mount -t 9p -o trans=virtio,version=9p2000.L,aname=sub cofs0 /sub; echo I$((0+1))=$(cat /sub/inner)'
	wait_for "$log" "I1=" 30
	verdict "cofs: aname=sub mounts the subdirectory ($(cofs_said I1))" \
		[ "$(cofs_said I1)" = inner ] || guest_log 4

	cofs_ask K 'umount /sub'
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "cofs: unmounted, poweroff ends the daemon with exit status 0 (exit $rc)" \
		sh -c "[ '$(cofs_said K1)' = 0 ] && [ $rc = 0 ]" || guest_log 6

	m=$(./colinux-daemon --console-socket=none kernel=/tests/vmlinux cofs0=/tmp/nonexistent 2>&1)
	rc=$?
	verdict "cofs: a missing folder is refused (exit $rc): $m" \
		sh -c "[ $rc = 1 ] && echo '$m' | grep -q 'cofs0=/tmp/nonexistent: no such directory'"
	rm -rf /tmp/share /tmp/outside
}

case_cobd_root() {
	local t
	if [ ! -f /tests/root.img ]; then
		not_ok "cobd-root: /tests/root.img exists (tests/vm/prepare, colinux-img)"
		return
	fi
	cp /tests/root.img /tmp/root.img
	rm -f /tmp/guest.in "$log"
	mkfifo /tmp/guest.in
	taskset -c 0 ./colinux-daemon --console-socket=none \
		kernel=/tests/vmlinux mem=64 cobd0=/tmp/root.img \
		root=/dev/cobd0 rw init=/init <>/tmp/guest.in >"$log" 2>&1 &
	daemon=$!
	wait_for "$log" "guest# " 120
	guest_type 'echo RT$((0+1)) $(grep " / " /proc/mounts)'
	wait_for "$log" "RT1 " 30
	t=$(tr -d '\r' <"$log" | grep -a -m1 '^RT1 ')
	verdict "cobd-root: the guest runs /init from ext4 on /dev/cobd0 ($t)" \
		sh -c "echo '$t' | grep -q ' / ext4 rw'" || guest_log 8
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "cobd-root: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 6
	rm -f /tmp/root.img
}

# Seconds since the epoch with 6 decimals from adjtimex's output (busybox
# date has no %N): the same program on the host and, typed, in the guest.
usec_awk='/tv_sec/ { s = $2 } /tv_usec/ { u = $2 } END { printf "%d.%06d", s, u }'

# The guest's virtio transport (virtio_colinux) with two disks, cobd5 named
# before cobd0: its wall clock against the host's, the platform devices in
# unit order with their unit in sysfs, one virtual IRQ each, six processes
# reading both disks at once, and a quiet kernel log.
case_transport() {
	local h0 h5 t
	dd if=/dev/urandom of=/tmp/t0.img bs=1M count=8 2>/dev/null
	dd if=/dev/urandom of=/tmp/t5.img bs=1M count=4 2>/dev/null
	h0=$(md5sum </tmp/t0.img | cut -d' ' -f1)
	h5=$(md5sum </tmp/t5.img | cut -d' ' -f1)
	guest_start cobd5=/tmp/t5.img cobd0=/tmp/t0.img
	if ! wait_for "$log" "guest# " 120; then
		not_ok "transport: the guest boots with cobd5 and cobd0"
		guest_log 10
		guest_wait 5
		return
	fi
	# The guest's time, taken when the typed line runs, must lie between
	# the host's before typing and after seeing the answer, give or take
	# 50 ms (with its clock set before boot it trailed by 0.3-1 s).
	guest_type "echo WC\$((0+1)) $(adjtimex | awk "$usec_awk") \$(adjtimex | awk '$usec_awk')"
	time_until "WC1 " 30 >/dev/null
	t=$(tr -d '\r' <"$log" | grep -a -m1 '^WC1 ' |
		awk -v h="$(adjtimex | awk "$usec_awk")" '{ printf "%.3f %.3f", $3 - $2, h - $3 }')
	verdict "transport: the guest's wall clock is the host's (guest - host before: ${t% *} s, host after - guest: ${t#* } s)" \
		awk -v t="$t" 'BEGIN { n = split(t, d, " "); exit !(n == 2 && d[1] > -0.05 && d[2] > -0.05) }' ||
		guest_log 4

	guest_type 'echo U$((0+1)):$(cat /sys/devices/platform/virtio-colinux.*/unit | tr "\n" ,):$(ls /sys/devices/platform/virtio-colinux.1/virtio*/block)'
	wait_for "$log" "U1:" 30
	verdict "transport: virtio-colinux.0 and .1 are units 0 and 5, cobd5 under .1 ($(tr -d '\r' <"$log" | grep -a -m1 '^U1:'))" \
		grep -q "^U1:0,5,:cobd5" "$log" || guest_log 4

	guest_type 'echo 3 >/proc/sys/vm/drop_caches; for d in 0 0 5 5 0 5; do md5sum </dev/cobd$d >/tmp/m$d.$RANDOM & done; wait; echo P$((0+1)) $(cat /tmp/m* | cut -d" " -f1 | sort | uniq -c | tr -s " \n" " ")'
	wait_for "$log" "P1 " 120
	t=$(tr -d '\r' <"$log" | grep -a -m1 '^P1 ')
	verdict "transport: six processes read cobd0 and cobd5 at once, every checksum right" \
		sh -c "echo '$t' | grep -q -e ' 3 $h0 3 $h5' -e ' 3 $h5 3 $h0'" ||
		{ diag "$t"; guest_log 4; }

	# /proc/interrupts rows "IRQ: COUNT dummy VIRQ NAME".
	guest_type 'echo I$((0+1)) $(grep -E " virtio[0-9]+ *$" /proc/interrupts | awk "{ print \$4 \"=\" \$NF \"=\" (\$2 > 0) }")'
	wait_for "$log" "I1 " 30
	verdict "transport: virtual IRQ 2 for virtio0 and 3 for virtio1, both taken ($(tr -d '\r' <"$log" | grep -a -m1 '^I1 '))" \
		grep -q "^I1 2=virtio0=1 3=virtio1=1" "$log" || guest_log 4

	guest_type 'echo K$((0+1))=$(dmesg | grep -c -E "WARNING|BUG|virtio.*(refused|failed|beyond)")'
	wait_for "$log" "K1=" 30
	verdict "transport: no warning, refusal or failure in the guest's kernel log" \
		grep -q "^K1=0" "$log" || guest_log 4

	guest_type 'poweroff -f'
	guest_wait 30
	verdict "transport: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 6
	rm -f /tmp/t0.img /tmp/t5.img
}

# mem= of any whole number of MiB from 32: 65 is a 64 MiB block and a 1 MiB
# one, which the loader maps with 4 KiB pages; 31 is refused by the parser.
# Not 33: when its 1 MiB block lands in another 128 MiB memory section than
# the 32 MiB one, the guest spends 2 MiB more on its page array and has too
# little left to unpack this initramfs ("Initramfs unpacking failed: write
# error", seen 2 runs in 10); how blocks land is the host's choice.
case_guest_mem() {
	local out r
	guest_start -v mem=65
	wait_for "$log" "guest# " 120
	guest_type 'echo MT$((0+1)) $(grep MemTotal /proc/meminfo)'
	wait_for "$log" "MT1 " 30
	verdict "guest_mem: mem=65 boots to the shell ($(grep -m1 -o '65 MiB in [0-9]* block(s)' "$log"), $(tr -d '\r' <"$log" | grep -a -m1 '^MT1 ' | tr -s ' '))" \
		sh -c "grep -q '65 MiB in 2 block(s)' '$log' && tr -d '\r' <'$log' | grep -a -q '^MT1 MemTotal: *[0-9]* kB'" || guest_log 6
	guest_type 'poweroff -f'
	guest_wait 30
	verdict "guest_mem: poweroff ends the daemon with exit status 0 (exit $rc)" \
		guest_ended 0 "guest powered off" || guest_log 6
	out=$(./colinux-daemon --console-socket=none kernel=/tests/vmlinux mem=31 2>&1)
	r=$?
	verdict "guest_mem: mem=31 refused in one line naming the smallest size (exit $r): $out" \
		sh -c "[ $r = 1 ] && echo '$out' | grep -q 'from 32 (the smallest guest that boots)'"
}

# Drain stdin into FILE, at most 4 KiB every 50 ms: a terminal that reads
# slowly.
slow_reader() {
	local n
	while n=$(dd bs=4096 count=1 2>/dev/null | tee -a "$1" | wc -c) &&
		[ "$n" -gt 0 ]; do
		usleep 50000
	done
}

# SIGTERM while the guest prints without pause into a slow reader, so that
# the daemon is mostly outside RUN, writing: each of 10 SIGTERMs must end the
# daemon within 5 s with exit status 0 (before immediate_exit, most were
# lost and the daemon ran on until SIGKILL).
case_sigterm() {
	local i t late=0 bad=0 worst=0 reader
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rm -f /tmp/guest.in /tmp/slow.out "$log"
		mkfifo /tmp/guest.in /tmp/slow.out
		taskset -c 0 ./colinux-daemon --console-socket=none \
			kernel=/tests/vmlinux initrd=/tests/guest.cpio mem=64 \
			<>/tmp/guest.in >/tmp/slow.out 2>/tmp/slow.err &
		daemon=$!
		slow_reader "$log" </tmp/slow.out &
		reader=$!
		wait_for "$log" "guest# " 120
		guest_type 'while :; do echo 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz; done'
		sleep 2
		kill -TERM $daemon
		t=0
		while kill -0 $daemon 2>/dev/null && [ $t -lt 50 ]; do
			usleep 100000
			t=$((t + 1))
		done
		kill -0 $daemon 2>/dev/null && { late=$((late + 1)); kill -KILL $daemon; }
		wait $daemon
		[ $? = 0 ] && grep -q "stopped by" /tmp/slow.err || bad=$((bad + 1))
		[ $t -gt $worst ] && worst=$t
		kill $reader 2>/dev/null
		wait $reader 2>/dev/null
	done
	rm -f /tmp/slow.out /tmp/slow.err "$log"
	verdict "sigterm: SIGTERM while the guest prints into a slow reader ends the daemon within 5 s with exit 0, 10 times ($late late, $bad unclean, slowest $((worst / 10)).$((worst % 10)) s)" \
		[ $late = 0 -a $bad = 0 ]
}

# execN= helpers with a guest: started with the daemon, ended when the guest
# powers off, when the daemon gets SIGTERM and when the guest panics; one
# that ignores SIGTERM is killed after the grace period; nothing is left
# running; a program that cannot start is refused naming its key.
case_exec() {
	local end p0 p1 left p
	printf '#!/bin/sh\ntrap "" TERM\necho $$ >/tmp/stubborn.pid\nwhile :; do sleep 1; done\n' >/tmp/stubborn.sh
	chmod +x /tmp/stubborn.sh
	for end in poweroff sigterm panic; do
		rm -f /tmp/stubborn.pid
		if [ $end = panic ]; then
			guest_start rdinit=/bin/false exec0=sleep,1000 exec1=/tmp/stubborn.sh
		else
			guest_start exec0=sleep,1000 exec1=/tmp/stubborn.sh
			wait_for "$log" "guest# " 120
			wait_for /tmp/stubborn.pid "" 30
		fi
		case $end in
		poweroff) guest_type 'poweroff -f' ;;
		sigterm) kill -TERM $daemon ;;
		esac
		guest_wait 60
		p0=$(sed -n "s/.*exec0: started 'sleep' (pid \([0-9]*\))$/\1/p" "$log")
		p1=$(sed -n "s/.*exec1: started '.*' (pid \([0-9]*\))$/\1/p" "$log")
		left=
		for p in $p0 $p1; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
		verdict "exec: $end: both helpers started (pids ${p0:-none} ${p1:-none}, exit $rc)" \
			[ -n "$p0" -a -n "$p1" ] || guest_log 6
		verdict "exec: $end: exec0 ended by SIGTERM, logged" \
			grep -q "exec0: 'sleep' (pid $p0) ended by signal 15" "$log"
		if [ $end != panic ]; then
			verdict "exec: $end: exec1, which ignores SIGTERM, killed after the grace period" \
				grep -q "exec1: '/tmp/stubborn.sh' (pid $p1) ended by signal 9" "$log"
		fi
		verdict "exec: $end: no helper left running (left:${left:- none})" [ -z "$left" ]
	done
	# A helper inherits none of the daemon's descriptors (disk, share,
	# slirp, console, eventfds): only 0, 1, 2 and its script.
	printf '#!/bin/sh\nexec 9</tmp/exec.img\nls -l /proc/$$/fd >/tmp/exec.ctl\nexec 9<&-\nls -l /proc/$$/fd >/tmp/exec.fds\n' >/tmp/fds.sh
	chmod +x /tmp/fds.sh
	dd if=/dev/zero of=/tmp/exec.img bs=1M count=1 2>/dev/null
	mkdir -p /tmp/exec.share
	rm -f /tmp/exec.fds /tmp/exec.ctl
	guest_start cobd0=/tmp/exec.img cofs0=/tmp/exec.share eth0=slirp,,tcp:2299:22,restrict exec0=/tmp/fds.sh
	wait_for "$log" "guest# " 120
	wait_for /tmp/exec.fds "" 30
	guest_type 'poweroff -f'
	guest_wait 60
	verdict "exec: the helper inherits no descriptor of the daemon: $(grep -o -- '[0-9]* -> .*' /tmp/exec.fds 2>/dev/null | tr '\n' ' ')" \
		eval '[ "$(grep -c -- " -> " /tmp/exec.fds)" -ge 3 ] && ! grep -q -e exec.img -e exec.share -e socket: -e anon_inode: -e pipe: /tmp/exec.fds'
	verdict "exec: negative control: the same check sees a descriptor of the disk opened by the helper" \
		grep -q exec.img /tmp/exec.ctl
	rm -rf /tmp/fds.sh /tmp/exec.img /tmp/exec.share /tmp/exec.fds /tmp/exec.ctl
	# Negative control: the same check sees a process that is running.
	sleep 1000 &
	p=$!
	verdict "exec: negative control: the liveness check sees a running sleep" kill -0 $p
	kill $p
	wait $p 2>/dev/null
	guest_start exec0=/nonexistent/prog
	guest_wait 60
	verdict "exec: a program that cannot start is refused naming the key (exit $rc)" \
		guest_ended 1 "exec0: cannot start '/nonexistent/prog': No such file or directory" || guest_log 4
	rm -f /tmp/stubborn.sh /tmp/stubborn.pid
}

# Device notifies answered in the driver through an eventfd
# (COLINUX_SET_IOEVENTFD), and a virq raised by a device thread while RUN
# waits.
case_notify() {
	cotest notify 1000
}

# tests/hw/report, the script a user runs on a real host, run here as it
# would be there (short rounds): it loads the module itself, so it must
# pass, and its MSR comparison must catch a changed value (negative
# control: one MSR of the "before" dump altered).
case_hwreport() {
	local msr rc
	rmmod colinux
	insmod /mod/msr.ko
	check "hwreport: the report on this host passes (short rounds)" \
		sh /tests/hw-report --from /tests --rounds 20000 --seconds 5 \
		--out /tmp/hw.txt
	grep -E '^FAIL |passed' /tmp/hw.txt | diag_indent hwreport
	check "hwreport: the report has the host, cotest, guest, MSR and dmesg sections" \
		sh -c 'for s in host "cotest roundtrip" "guest boot" "MSRs before" \
			"CPU vulnerabilities" "dmesg since"; do
			grep -q "^== $s" /tmp/hw.txt || exit 1; done'
	./cotest msrs >/tmp/msrs.a
	msr=$(awk '$4 != "-" { print $3; exit }' /tmp/msrs.a)
	awk -v m="$msr" '$2 == 0 && $3 == m { $4 = $4 "1" } { print }' \
		/tmp/msrs.a >/tmp/msrs.b
	capture sh /tests/hw-report --compare /tmp/msrs.a /tmp/msrs.b
	rc=$?
	verdict "hwreport: negative control: a changed $msr is caught (exit $rc: $OUT)" \
		sh -c "[ $rc = 1 ] && echo '$OUT' | grep -q 'CPU 0 $msr:'"
	check "hwreport: colinux.ko back for the cases after it" \
		insmod /tests/colinux.ko
}

# The hardware audit (tests/vm/boot with VM_TRACE): the guest boots to its
# shell, runs a few commands and powers off with the driver marking every
# entry and exit; the harness checks the trace between the marks.
case_audit() {
	rmmod colinux
	check "audit: insmod colinux.ko audit=1" insmod /tests/colinux.ko audit=1
	# Disk I/O too: cobd's notifications, completions and virtual IRQs.
	dd if=/dev/urandom of=/tmp/audit.img bs=1M count=4 2>/dev/null
	guest_start cobd0=/tmp/audit.img
	wait_for "$log" "guest# " 300
	guest_type 'md5sum </dev/cobd0; dd if=/dev/zero of=/dev/cobd0 bs=64k count=16 conv=fsync; echo A$((1+1)); cat /proc/interrupts >/dev/null; uname -a; sleep 1'
	wait_for "$log" "A2" 60
	sleep 2
	guest_type 'poweroff -f'
	guest_wait 60
	if guest_refused; then
		skip "audit: guest" "the daemon refused this guest kernel: $(grep -m1 -o 'kernel=.*' "$log")"
	else
		verdict "audit: the guest ran to its shell, read and wrote its disk and powered off, entries and exits marked (exit $rc)" \
			guest_ended 0 A2 || guest_log 5
		echo "COTEST audit"
	fi
	rm -f /tmp/audit.img
	rmmod colinux
	insmod /tests/colinux.ko
}

# The host VM, the coLinux guest and User-Mode Linux (make bench-guest): the
# same static cobench on the same CPU, three alternating rounds (host and
# guest alternate per program, UML boots once per round), medians of the
# time per operation.  "files" runs in each side's /tmp.  Lines for
# tests/bench/bench-table: "COTEST bench three NAME HOST GUEST UML" (seconds
# per operation; UML 0 when the initramfs has no UML: make bench builds it),
# "COTEST bench fs ..." (/tmp's filesystem on each side) and "COTEST bench
# vuln SIDE ..." (what /sys/devices/system/cpu/vulnerabilities says).
GUESTBENCH="cpu:5000000 getppid:50000 pipe:5000 forkexec:100 files:1000 faults:20000"
VULNS='cd /sys/devices/system/cpu/vulnerabilities 2>/dev/null && grep . * | tr "\n" ";" || echo none'
# One UML boot running every program once; its results in /tmp/uml.$1.
uml_round() {
	rm -rf /tmp/uml.tmp
	mkdir -p /tmp/uml.tmp
	TMPDIR=/tmp/uml.tmp GLIBC_TUNABLES=glibc.pthread.rseq=0 timeout 900 \
		taskset -c 0 ./uml mem=64M initrd=/tests/uml.cpio con=null \
		con0=null,fd:1 quiet "BENCH=$(echo $GUESTBENCH | tr ' ' ,)" \
		</dev/null 2>&1 | tr -d '\r' >/tmp/uml.$1
}
median() { sort -g | sed -n 2p; }
case_guestbench() {
	local k b h g u ok=1
	rm -f /tmp/bench.txt /tmp/uml.[123]
	mkdir -p /tmp/hostbench
	guest_start
	wait_for "$log" "guest# " 120
	guest_type "cd /tmp; (stat -f -c 'FS %T' /tmp; echo VULN \$($VULNS)) | sed s/^/G/"
	wait_for "$log" "GVULN" 60
	for k in 1 2 3; do
		for b in $GUESTBENCH; do
			set -- ${b%%:*} ${b#*:}
			h=$(cd /tmp/hostbench && taskset -c 0 /tests/cobench $1 $2 | awk '{ print $3 }')
			guest_type "cobench $1 $2 | sed s/^/G$k/"
			wait_for "$log" "G${k}BENCH $1 " 600
			g=$(tr -d '\r' <"$log" | awk -v k="G${k}BENCH" -v b="$1" '$1 == k && $2 == b { print $3 }')
			echo "$1 ${h:-0} ${g:-0}" >>/tmp/bench.txt
		done
		[ -x ./uml ] && uml_round $k
	done
	guest_type 'poweroff -f'
	guest_wait 30
	for b in $GUESTBENCH; do
		b=${b%%:*}
		h=$(awk -v b=$b '$1 == b { print $2 }' /tmp/bench.txt | median)
		g=$(awk -v b=$b '$1 == b { print $3 }' /tmp/bench.txt | median)
		u=0
		[ -x ./uml ] && u=$(cat /tmp/uml.[123] | awk -v b=$b '$1 == "UBENCH" && $2 == b { print $3 }' | median)
		echo "COTEST bench three $b $h $g ${u:-0}"
		awk -v h="$h" -v g="$g" -v u="${u:-0}" -v x=$([ -x ./uml ] && echo 1 || echo 0) \
			'BEGIN { exit !(h > 0 && g > 0 && (u > 0 || !x)) }' || ok=0
	done
	echo "COTEST bench fs host=$(stat -f -c %T /tmp) colinux=$(tr -d '\r' <"$log" | awk '$1 == "GFS" { print $2 }') uml=$(awk '$1 == "UFS" { print $2; exit }' /tmp/uml.1 2>/dev/null)"
	echo "COTEST bench vuln host $(sh -c "$VULNS")"
	echo "COTEST bench vuln colinux $(tr -d '\r' <"$log" | sed -n 's/^GVULN //p' | head -n 1)"
	[ -x ./uml ] && echo "COTEST bench vuln uml $(sed -n 's/^UVULN //p' /tmp/uml.1 | tr '\n' ';')"
	verdict "guestbench: every program ran on every side" [ $ok = 1 ]
	skipped devbench || case_devbench
}

# The guest's devices against the host VM (make bench-guest, after the
# programs above; alone: cotest.cases=devbench).  A second guest with
# eth0=slirp (unrestricted: 10.0.2.2 is the host VM's loopback), eth1=tuntap
# and cofs0=/tmp/cofsbench.  ROW:PROGRAM:N:PATH, the host VM's side of each
# PATH: slirp, the host VM to itself over loopback; tap, a network namespace
# of the host VM over a veth pair; cofs, the host VM in the same folder.
# "cobench serve" on CPU 1 is the peer of every TCP row.  Three alternating
# rounds, medians; "COTEST bench dev ROW HOST GUEST" (seconds per
# operation).  QEMU's own user networking is not measured: the host VM's NIC
# is restrict=on, and reaching it would need a client outside the VM.
DEVBENCH="tcp_g2h:tcpsend:8:slirp tcp_h2g:tcprecv:8:slirp tcp_rr:tcprr:2000:slirp
tap_g2h:tcpsend:8:tap tap_h2g:tcprecv:8:tap tap_rr:tcprr:2000:tap
cofs_write:seqwrite:64:cofs cofs_read:seqread:64:cofs cofs_files:files:1000:cofs"
# The host VM's side of PATH: its directory and command prefix.
dev_host() {
	case $1 in
	slirp) COBENCH_PEER=127.0.0.1:9100 taskset -c 0 /tests/cobench $2 $3 ;;
	tap) nsenter -t $ns -n env COBENCH_PEER=192.168.80.1:9100 taskset -c 0 /tests/cobench $2 $3 ;;
	cofs) (cd /tmp/cofsbench && taskset -c 0 /tests/cobench $2 $3) ;;
	esac
}
dev_guest() {
	case $1 in
	slirp) echo "cd /tmp; COBENCH_PEER=10.0.2.2:9100" ;;
	tap) echo "cd /tmp; COBENCH_PEER=192.168.79.1:9100" ;;
	cofs) echo "cd /mnt/cofs;" ;;
	esac
}
num() { awk '$3 ~ /^[0-9.e+-]+$/ { print $3 }'; }
case_devbench() {
	local k b h g r p n w srv ns ok=1
	insmod /mod/tun.ko 2>/dev/null
	insmod /mod/veth.ko 2>/dev/null
	ip link set lo up
	rm -rf /tmp/cofsbench /tmp/devbench.txt
	mkdir -p /tmp/cofsbench
	unshare -n sleep 3600 &
	ns=$!
	sleep 1
	# busybox ip names the peer itself: renamed as conet_bridge does
	ip link add cobv0 type veth
	ip link set "$(ip -o link show cobv0 | sed -n 's/^[0-9]*: cobv0@\([^:]*\):.*/\1/p')" name cobv1
	ip link set cobv1 netns $ns
	ip addr add 192.168.80.1/24 dev cobv0
	ip link set cobv0 up
	nsenter -t $ns -n ip link set lo up
	nsenter -t $ns -n ip addr add 192.168.80.2/24 dev cobv1
	nsenter -t $ns -n ip link set cobv1 up
	taskset -c 1 /tests/cobench serve 9100 &
	srv=$!
	guest_start -v eth0=slirp eth1=tuntap,cobt0 cofs0=/tmp/cofsbench
	if ! wait_for "$log" "guest# " 120; then
		not_ok "devbench: the guest boots with slirp, tuntap and cofs"
		guest_log 10
		guest_wait 5
		kill $srv $ns
		return
	fi
	ip addr add 192.168.79.1/24 dev cobt0
	ip link set cobt0 up
	cofs_ask N 'udhcpc -i eth0 -n -q -t 5 -T 1 >/dev/null 2>&1; ip addr add 192.168.79.2/24 dev eth1 && ip link set eth1 up && mkdir -p /mnt/cofs && mount -t 9p -o trans=virtio,version=9p2000.L cofs0 /mnt/cofs && ping -c 1 -W 5 10.0.2.2 >/dev/null' 60
	[ "$(cofs_said N1)" = 0 ] || { not_ok "devbench: the guest's eth0, eth1 and cofs0 are up"; guest_log 6; }
	for k in 1 2 3; do
		for b in $DEVBENCH; do
			IFS=: read -r r p n w <<-END
			$b
			END
			h=$(dev_host $w $p $n | num)
			guest_type "$(dev_guest $w) timeout 300 cobench $p $n | sed s/^/D$k$r/"
			wait_for "$log" "D$k${r}BENCH $p " 320
			g=$(tr -d '\r' <"$log" | awk -v k="D$k${r}BENCH" '$1 == k' | num)
			echo "$r ${h:-0} ${g:-0}" >>/tmp/devbench.txt
		done
	done
	guest_type 'umount /mnt/cofs; poweroff -f'
	guest_wait 30
	kill $srv $ns 2>/dev/null
	wait $srv $ns 2>/dev/null
	ip link del cobv0 2>/dev/null
	for b in $DEVBENCH; do
		r=${b%%:*}
		h=$(awk -v b=$r '$1 == b { print $2 }' /tmp/devbench.txt | median)
		g=$(awk -v b=$r '$1 == b { print $3 }' /tmp/devbench.txt | median)
		if awk -v h="$h" -v g="$g" 'BEGIN { exit !(h > 0 && g > 0) }'; then
			echo "COTEST bench dev $r $h $g"
		else
			ok=0
			diag "devbench: $r did not run on both sides (host ${h:-none}, guest ${g:-none})"
		fi
	done
	diag "devbench: $(grep -a -E '(eth[01]|cofs0): [0-9]+ (frames|requests)' "$log" | tr -d '\r' | tr '\n' ' ')"
	rm -rf /tmp/cofsbench
	verdict "devbench: every device row ran on both sides" [ $ok = 1 ] ||
		guest_log 30
}
# cobd against the host VM (make bench-cobd): the same static program on
# /dev/cobd0 in the guest (O_DIRECT) and on the image file in the host VM
# (buffered, warm), both on CPU 0, three alternating rounds; ratios are host
# time / guest time (1.0: the guest as fast as the host), medians.  The
# daemon's counters give requests, interrupts and exits to the daemon per
# MiB moved.
# The compile-like mix runs on ext4 on both sides: in the host VM on a loop
# device over one copy of an empty image, in the guest on cobd1 over another.
# (tests/vm/prepare puts the modules in /mod; this is their load order.)
mix_mount() {
	local m
	for m in crc16 crc32c_generic mbcache jbd2 ext4 loop; do
		insmod "/mod/$m.ko" 2>/dev/null
	done
	gunzip -c /tests/mix.img.gz >/tmp/mixh.img &&
		gunzip -c /tests/mix.img.gz >/tmp/mixg.img &&
		mkdir -p /tmp/mixh && mount -o loop -t ext4 /tmp/mixh.img /tmp/mixh
}
case_cobdbench() {
	local k b h g r line= st bytes
	dd if=/dev/urandom of=/tmp/bench.img bs=1M count=64 2>/dev/null
	rm -f /tmp/cobdbench.txt
	mix_mount || diag "cobdbench: no ext4 on a loop device in the host VM: no mix"
	guest_start -v cobd0=/tmp/bench.img cobd1=/tmp/mixg.img mem=160
	wait_for "$log" "guest# " 120
	guest_type 'mkdir -p /mnt && mount -t ext4 /dev/cobd1 /mnt && echo MNT$((0+1))'
	wait_for "$log" "MNT1" 30
	for k in 1 2 3; do
		for b in "seqread 64" "seqwrite 64" "randread 2000" "syncwrite 300" "mix 1000"; do
			set -- $b
			if [ "$1" = mix ]; then
				h=$(taskset -c 0 ./cobdbench /tmp/mixh $b | awk '{ print $3 }')
				guest_type "cobdbench /mnt $b | sed s/^/G$k/"
			else
				h=$(taskset -c 0 ./cobdbench /tmp/bench.img $b | awk '{ print $3 }')
				guest_type "cobdbench /dev/cobd0 $b direct | sed s/^/G$k/"
			fi
			wait_for "$log" "G${k}BENCH $1 " 600
			g=$(tr -d '\r' <"$log" | awk -v k="G${k}BENCH" -v b="$1" '$1 == k && $2 == b { print $3 }')
			echo "$1 $(awk -v h="$h" -v g="$g" 'BEGIN { if (g > 0) printf "%.3f", h / g; else print 0 }') $h $g" >>/tmp/cobdbench.txt
		done
	done
	umount /tmp/mixh 2>/dev/null
	rm -f /tmp/mixh.img /tmp/mixg.img
	for b in seqread seqwrite randread syncwrite mix; do
		r=$(awk -v b=$b '$1 == b { print $2 }' /tmp/cobdbench.txt | sort -n | sed -n 2p)
		line="$line $b=$r"
		diag "cobdbench: $b: $(awk -v b=$b '$1 == b { printf "host %s s, guest %s s; ", $3, $4 }' /tmp/cobdbench.txt)"
	done
	guest_type 'poweroff -f'
	guest_wait 60
	# "cobd0: R requests, E notifications to the daemon, I interrupts, ..."
	# and "cobd0=...: N reads (B bytes), M writes (C bytes), ..."
	st=$(grep -a -m1 'cobd0: [0-9]* requests' "$log")
	st=${st#*cobd0: }
	bytes=$(grep -a -m1 'cobd0=/tmp/bench.img: [0-9]* reads' "$log")
	bytes=$(echo "${bytes#*bench.img: }" | awk '{ gsub(/[()]/, ""); print $3 + $7 }')
	st=$(echo "$st" | awk -v b="$bytes" '{ m = b / 1048576; if (m > 0) printf "requests/MiB=%.2f irqs/MiB=%.2f exits/MiB=%.3f", $1 / m, $8 / m, $3 / m }')
	echo "COTEST bench cobd_vs_host$line $st (host time / guest time, medians of 3)"
	verdict "cobdbench: every benchmark ran ($line; $st)" all_ran "$line"
	rm -f /tmp/bench.img
}
# Every NAME=RATIO word of LINE has a ratio above 0.
all_ran() {
	echo "$1" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (!(kv[2] > 0)) exit 1 } }'
}

echo "COTEST # host VM: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(grep -m1 -o -w la57 /proc/cpuinfo || echo 4-level) paging"
for c in $(echo "$cases" | tr , ' '); do
	case " all guest-end $CASES $ONLY_CASES " in
	*" $c "*) ;;
	*) not_ok "cotest.cases: no case $c" ;;
	esac
done
mem0=$(freemem)
check "insmod colinux.ko" insmod /tests/colinux.ko
check "/dev/colinux is root-only (0600)" \
	sh -c 'ls -ln /dev/colinux | grep -q "^crw------- *1 0 *0 "'
for c in $CASES; do
	want "$c" && "case_$c"
done
for c in $ONLY_CASES; do
	named "$c" && "case_$c"
done
check "rmmod colinux" rmmod colinux
sleep 1
mem1=$(freemem)
verdict "all guest memory back after rmmod (free $mem0 -> $mem1 kB)" \
	within 8192 "$mem0" "$mem1"
bad=$(dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|stall|lockup')
verdict "host kernel log clean" [ -z "$bad" ] ||
	echo "$bad" | head -n 5 | diag_indent
