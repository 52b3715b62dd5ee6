# SPDX-License-Identifier: GPL-2.0
# tests/vm/cases.sh --- the host-VM test cases, run by /init inside the VM.
#
# Reports with "COTEST ..." lines (see tests/vm/boot).  Runs from /tests,
# where the initramfs has colinux.ko, cotest and payload.bin.  A kernel
# command-line word "cotest.cases=a,b" runs only those cases (development);
# "cotest.rounds=N" sets the round-trip count (default 1000000).

ok() { echo "COTEST ok - $*"; }
not_ok() { echo "COTEST not ok - $*"; }
diag() { echo "COTEST # $*"; }
check() {
	local name=$1
	shift
	if out=$("$@" 2>&1); then ok "$name"; else
		not_ok "$name"
		echo "$out" | tail -n 8 | sed 's/^/COTEST #   /'
	fi
}

cmdline=$(cat /proc/cmdline)
cases=all rounds=1000000 stress=60
for w in $cmdline; do
	case $w in
	cotest.stress=*) stress=${w#cotest.stress=} ;;
	cotest.cases=*) cases=${w#cotest.cases=} ;;
	cotest.rounds=*) rounds=${w#cotest.rounds=} ;;
	esac
done
want() { [ "$cases" = all ] || case ,$cases, in *,$1,*) true ;; *) false ;; esac; }
# Cases that "all" leaves out (benchmarks of their own target).
want_only() { case ,$cases, in *,$1,*) true ;; *) false ;; esac; }

# cotest prints its own results; a crash or an early exit is one more failure.
cotest() {
	./cotest "$@"
	local rc=$?
	[ $rc = 0 ] || not_ok "cotest $*: exit status $rc"
}

# MemFree once caches are dropped: what the kernel itself freed, not what
# thousands of finished test processes left in its caches.
memfree() {
	sync
	echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}
# Field CPU+2 of the /proc/interrupts row whose name or label matches.
irqs() { awk -v k="$1" -v c=$(($2 + 2)) '$1 == k":" || $NF == k { print $c; exit }' /proc/interrupts; }
# No more than SLACK KiB below the reference.
memfree_back() { [ $(($(memfree) + $2)) -ge "$1" ]; }

echo "COTEST # host VM: $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(grep -m1 -o -w la57 /proc/cpuinfo || echo 4-level) paging"
mem0=$(memfree)
check "insmod colinux.ko" insmod /tests/colinux.ko
check "/dev/colinux is root-only (0600)" \
	sh -c 'ls -ln /dev/colinux | grep -q "^crw------- *1 0 *0 "'

if want badcalls; then
	cotest badcalls
fi

if want alloc; then
	out=$(./cotest alloc 64)
	diag "alloc: $(echo "$out" | tr '\n' ' ')"
	check "alloc: 64 MiB as one 64 MiB-aligned block (alloc_contig_range)" \
		sh -c "echo '$out' | grep -q -E '^block 0x[0-9a-f]*(0|4|8|c)000000 0x4000000'"
	check "alloc: 256 MiB as two 128 MiB blocks" \
		sh -c "./cotest alloc 256 | grep -c '0x8000000\$' | grep -qx 2"
fi

if want roundtrip; then
	cotest roundtrip "$rounds"
fi

if want owntables; then
	cotest owntables $((rounds / 10))
fi

if want spin; then
	# Test 3: payload with interrupts on for 30 s on CPU 1, while CPU 0
	# pings the host VM through a NIC whose interrupts go to CPU 1.
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
	[ $((loc1 - loc0)) -gt 3000 ] && ok "spin: host timer ticks on CPU 1 (+$((loc1 - loc0)))" ||
		not_ok "spin: host timer ticks on CPU 1 (+$((loc1 - loc0)))"
	[ $((tlb1 - tlb0 + cal1 - cal0)) -gt 10 ] &&
		ok "spin: IPIs on CPU 1 (TLB +$((tlb1 - tlb0)), CAL +$((cal1 - cal0)))" ||
		not_ok "spin: IPIs on CPU 1 (TLB +$((tlb1 - tlb0)), CAL +$((cal1 - cal0)))"
	[ -n "$eth1" ] && [ $((eth1 - eth0)) -gt 20 ] &&
		ok "spin: NIC interrupts on CPU 1 (+$((eth1 - eth0)))" ||
		not_ok "spin: NIC interrupts on CPU 1 (+$((eth1 - ${eth0:-0})))"
	received=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
	[ "${received:-0}" -ge 26 ] && ok "spin: ping kept answering ($received of 28)" ||
		{ not_ok "spin: ping kept answering (${received:-0} of 28)"; tail -n 3 /tmp/ping.log | sed 's/^/COTEST #   /'; }
	bad=$(dmesg | tail -n +$((mark + 1)) | grep -i -E 'spurious|stall|soft lockup|hard lockup|No irq handler|BUG|WARNING|Call Trace')
	[ -z "$bad" ] && ok "spin: no spurious-interrupt, RCU-stall or lockup messages" ||
		{ not_ok "spin: no spurious-interrupt, RCU-stall or lockup messages"; echo "$bad" | head -n 5 | sed 's/^/COTEST #   /'; }
fi

if want nmi; then
	# Test 4: the harness injects NMIs from the QEMU monitor.  QEMU
	# delivers them through LINT1, which Linux unmasks on the boot CPU
	# only: run the round trips on CPU 0.
	n0=$(irqs NMI 0)
	mark=$(dmesg | wc -l)
	taskset -c 0 ./cotest nmi 10 || not_ok "cotest nmi: exit status $?"
	sleep 1
	n1=$(irqs NMI 0)
	logged=$(dmesg | tail -n +$((mark + 1)) | grep -c 'NMI received for unknown reason')
	[ $((n1 - n0)) -gt 0 ] && [ "$logged" -gt 0 ] &&
		ok "nmi: host took the NMIs (CPU 0 NMI +$((n1 - n0)), $logged logged)" ||
		not_ok "nmi: host took the NMIs (CPU 0 NMI +$((n1 - n0)), $logged logged)"
fi

if want fault; then
	cotest fault
	cotest badsel
fi

if want kill; then
	# Test 5: guest memory comes back after close and after kill -9.
	m0=$(memfree)
	./cotest hold 64 >/tmp/hold.log &
	pid=$!
	sleep 3
	m1=$(memfree)
	kill -9 $pid
	wait $pid 2>/dev/null
	sleep 1
	m2=$(memfree)
	diag "kill: MemFree $m0 kB, $m1 kB while held, $m2 kB after kill -9"
	grep -q holding /tmp/hold.log && [ $((m0 - m1)) -ge 40000 ] &&
		ok "kill: a running guest held its 64 MiB (MemFree -$((m0 - m1)) kB)" ||
		not_ok "kill: a running guest held its 64 MiB (MemFree -$((m0 - m1)) kB)"
	memfree_back "$m0" 4096 && ok "kill: all guest memory back after kill -9" ||
		not_ok "kill: all guest memory back after kill -9"
fi

if want reserved; then
	# The memmap= range: the module takes blocks from it first.
	check "reserved: rmmod colinux" rmmod colinux
	check "reserved: insmod colinux.ko reserved=64M@0x30000000" \
		insmod /tests/colinux.ko reserved=64M@0x30000000
	check "reserved: a 32 MiB guest lands in the memmap= range" \
		sh -c './cotest alloc 32 | grep -q -E "^block 0x3[0-9a-f]{7} 0x2000000"'
	check "reserved: 128 MiB still comes from alloc_contig_range" \
		sh -c './cotest alloc 128 | grep -q "^block"'
fi

if want bench; then
	cotest bench 100000
fi

# Wait up to SECONDS for a fixed string in FILE.
wait_for() {
	local file=$1 text=$2 t=0
	while [ $t -lt "$3" ]; do
		grep -q -F -- "$text" "$file" 2>/dev/null && return 0
		# A daemon that is gone prints nothing more.
		[ -z "${daemon:-}" ] || kill -0 "$daemon" 2>/dev/null || return 1
		sleep 1
		t=$((t + 1))
	done
	return 1
}

# The coLinux guest kernel under colinux-daemon: its console input is a
# FIFO the harness types into, its output (and the daemon's messages) a log.
up() { cut -d' ' -f1 /proc/uptime; }
guest_start() {
	rm -f /tmp/guest.in "$log"
	mkfifo /tmp/guest.in
	taskset -c 0 ./colinux-daemon --console-socket=none \
		kernel=/tests/vmlinux initrd=/tests/guest.cpio mem=64 "$@" \
		<>/tmp/guest.in >"$log" 2>&1 &
	daemon=$!
}
type() { echo "$*" >/tmp/guest.in; }
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
	tail -n "$1" "$log" | awk '{ gsub(/\033\[[0-9;]*[a-zA-Z]|\r/, ""); print "COTEST #   guest: " $0 }'
}
# The count of the first /proc/interrupts row naming a timer, in the
# guest's output after MARKER.
timer_irqs() {
	tr -d '\r' <"$log" | sed -n "/^$1\$/,\$p" | awk 'tolower($0) ~ /timer/ && $2 ~ /^[0-9]+$/ && $1 != "LOC:" { print $2; exit }'
}

if want guest; then
	log=/tmp/guest.log
	m0=$(memfree)
	guest_start
	wait_for "$log" "coLinux: guest kernel entered" 60
	# A guest kernel the daemon refuses (not built for this host yet) is
	# a skip: the refusal itself is what the daemon must do.
	if grep -q -e CONFIG_X86_5LEVEL -e "not a coLinux guest kernel" "$log"; then
		guest_wait 10
		ok "guest: boots on this host # SKIP the daemon refused this guest kernel (exit $rc): $(grep -m1 -o 'kernel=.*' "$log")"
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
		type 'echo R$((1+1))=$(uname -r)'
		wait_for "$log" "R2=" 20
		check "guest: uname -r typed on the console" \
			grep -q "R2=6.1.*-colinux" "$log"
		type 'echo I$((0+1)); cat /proc/interrupts; sleep 2; echo I$((1+1)); cat /proc/interrupts; echo I$((1+2))'
		wait_for "$log" "I3" 30
		i1=$(timer_irqs I1) i2=$(timer_irqs I2)
		[ -n "$i1" ] && [ -n "$i2" ] && [ "$i2" -gt "$i1" ] &&
			ok "guest: timer interrupts count up in /proc/interrupts ($i1 -> $i2 in 2 s)" ||
			{ not_ok "guest: timer interrupts count up in /proc/interrupts (${i1:-none} -> ${i2:-none})"
			  tr -d '\r' <"$log" | sed -n '/^I2$/,/^I3$/p' | awk '$2 + 0 > 0 { print "COTEST #   guest: " $0 }'; }
		type 'echo SL$((0+1)); sleep 5; echo SL$((1+1))'
		t_start=$(time_until SL1 30)
		t_sleep=$(time_until SL2 30)
		awk -v t="$t_sleep" 'BEGIN { exit !(t >= 4.9 && t <= 5.1) }' &&
			ok "guest: sleep 5 took $t_sleep s of host time (within 2%)" ||
			not_ok "guest: sleep 5 took $t_sleep s of host time (within 2%)"
		# FPU and system calls in the guest while the host runs the same
		# on the same CPU (the daemon is pinned to CPU 0): every result
		# checked against the host's.
		expect=$(sh /tests/stress 0 | sed 's/.*\(fp=.*\)/\1/')
		taskset -c 0 sh /tests/stress "$stress" >/tmp/host-stress.log &
		host_stress=$!
		type "stress $stress"
		wait_for "$log" "STRESS loops" $((stress + 120))
		wait $host_stress
		got=$(tr -d '\r' <"$log" | grep -a '^STRESS loops' | tail -n 1)
		hgot=$(cat /tmp/host-stress.log)
		[ -n "$got" ] && echo "$got" | grep -q ' bad=0 ' &&
			[ "$(echo "$got" | sed 's/.*\(fp=.*\)/\1/')" = "$expect" ] &&
			ok "guest: ${stress} s FPU/syscall stress, results match the host's (guest ${got#STRESS }; host ${hgot#STRESS })" ||
			{ not_ok "guest: ${stress} s FPU/syscall stress (guest: ${got:-nothing}; host: $hgot; expected $expect)"; guest_log 4; }
		type 'poweroff -f'
		guest_wait 30
		[ $rc = 0 ] && grep -q "guest powered off" "$log" &&
			ok "guest: poweroff ends the daemon with exit status 0" ||
			{ not_ok "guest: poweroff ends the daemon with exit status 0 (got $rc)"; guest_log 10; }
	fi
	if want guest-end && grep -q "guest powered off" "$log"; then
		# reboot with --restart boots again; poweroff then ends it.
		guest_start --restart
		wait_for "$log" "guest# " 120
		type 'reboot -f'
		t=0
		while [ "$(grep -c 'GUEST init' "$log")" -lt 2 ] && [ $t -lt 120 ]; do
			sleep 1
			t=$((t + 1))
		done
		wait_for "$log" "booting the guest again" 1
		n=$(grep -c "GUEST init" "$log")
		sleep 2
		type 'poweroff -f'
		guest_wait 30
		[ "$n" = 2 ] && [ $rc = 0 ] &&
			ok "guest: reboot with --restart boots the guest again, poweroff then exits 0" ||
			{ not_ok "guest: reboot with --restart boots the guest again ($n boots, exit $rc)"; guest_log 6; }

		# A guest panic: the daemon reports it and exits 2, the host is
		# fine and has its memory back.
		mp=$(memfree)
		guest_start rdinit=/bin/false
		guest_wait 120
		[ $rc = 2 ] && grep -q "guest kernel panic: " "$log" &&
			ok "guest: a guest panic is reported (exit 2): $(grep -m1 -o 'guest kernel panic.*' "$log" | head -c 80)" ||
			{ not_ok "guest: a guest panic is reported (exit $rc)"; guest_log 6; }
		memfree_back "$mp" 4096 && ok "guest: all guest memory back after the panic (MemFree $mp -> $(memfree) kB)" ||
			not_ok "guest: all guest memory back after the panic (MemFree $mp -> $(memfree) kB)"

		# SIGTERM to the daemon while the guest idles at its prompt.
		guest_start
		wait_for "$log" "guest# " 120
		kill -TERM $daemon
		guest_wait 30
		[ $rc = 0 ] && grep -q "stopped by" "$log" &&
			ok "guest: SIGTERM stops the daemon cleanly (exit 0)" ||
			{ not_ok "guest: SIGTERM stops the daemon cleanly (exit $rc)"; guest_log 4; }

		# colinux-console attaches through the daemon's socket.
		rm -f /tmp/co.sock /tmp/cc.out
		guest_start --console-socket=/tmp/co.sock
		wait_for "$log" "guest# " 120
		(sleep 1; echo 'echo C$((2+2))OK'; sleep 3; echo 'poweroff -f'; sleep 5) |
			./colinux-console /tmp/co.sock >/tmp/cc.out 2>&1 &
		guest_wait 60
		sleep 1
		[ $rc = 0 ] && grep -q C4OK /tmp/cc.out && grep -q C4OK "$log" &&
			ok "guest: colinux-console types into the console and sees the output" ||
			{ not_ok "guest: colinux-console types into the console and sees the output (exit $rc)"; tail -n 3 /tmp/cc.out | sed 's/^/COTEST #   console: /'; }
	fi
	sleep 1
	# A guest that kept its RAM would hold 65536 kB; the daemon's runs leave
	# up to ~20 MB of the host's own memory use behind (page cache, slab),
	# which the end-of-run check after rmmod bounds more tightly.
	memfree_back "$m0" 32768 && ok "guest: all guest memory back after the daemon (MemFree $m0 -> $(memfree) kB)" ||
		not_ok "guest: all guest memory back after the daemon (MemFree $m0 -> $(memfree) kB)"
fi

# The hardware audit (tests/vm/boot with VM_TRACE): the guest boots to its
# shell, runs a few commands and powers off with the driver marking every
# entry and exit; the harness checks the trace between the marks.
if want_only audit; then
	rmmod colinux
	check "audit: insmod colinux.ko audit=1" insmod /tests/colinux.ko audit=1
	log=/tmp/guest.log
	guest_start
	wait_for "$log" "guest# " 300
	type 'echo A$((1+1)); cat /proc/interrupts >/dev/null; uname -a; sleep 1'
	wait_for "$log" "A2" 60
	sleep 2
	type 'poweroff -f'
	guest_wait 60
	if grep -q -e CONFIG_X86_5LEVEL -e "not a coLinux guest kernel" "$log"; then
		ok "audit: guest # SKIP the daemon refused this guest kernel: $(grep -m1 -o 'kernel=.*' "$log")"
	else
		[ $rc = 0 ] && grep -q "A2" "$log" &&
			ok "audit: the guest ran to its shell and powered off, entries and exits marked" ||
			{ not_ok "audit: the guest ran to its shell and powered off (exit $rc)"; guest_log 5; }
		echo "COTEST audit"
	fi
	rmmod colinux
	insmod /tests/colinux.ko
fi

# The guest against the host VM, the same static program on the same CPU
# (make bench-guest): host time / guest time per operation, medians of
# three alternating runs; 1.0 means the guest is as fast as the host.
if want_only guestbench; then
	log=/tmp/guest.log
	guest_start
	wait_for "$log" "guest# " 120
	for k in 1 2 3; do
		for b in "cpu 5000000" "getppid 50000" "pipe 5000" "forkexec 100"; do
			set -- $b
			h=$(taskset -c 0 ./cobench $b | awk '{ print $3 }')
			type "cobench $b | sed s/^/G$k/"
			wait_for "$log" "G${k}BENCH $1 " 600
			g=$(tr -d '\r' <"$log" | awk -v k="G${k}BENCH" -v b="$1" '$1 == k && $2 == b { print $3 }')
			echo "$1 $(awk -v h="$h" -v g="$g" 'BEGIN { if (g > 0) printf "%.3f", h / g; else print 0 }') $h $g" >>/tmp/bench.txt
		done
	done
	line=
	for b in cpu getppid pipe forkexec; do
		r=$(awk -v b=$b '$1 == b { print $2 }' /tmp/bench.txt | sort -n | sed -n 2p)
		line="$line $b=$r"
		diag "guestbench: $b: $(awk -v b=$b '$1 == b { printf "host %s s, guest %s s; ", $3, $4 }' /tmp/bench.txt)"
	done
	type 'poweroff -f'
	guest_wait 30
	echo "COTEST bench guest_vs_host$line (host time / guest time, medians of 3)"
	echo "$line" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (!(kv[2] > 0)) exit 1 } }' &&
		ok "guestbench: every benchmark ran" ||
		not_ok "guestbench: every benchmark ran ($line)"
fi

check "rmmod colinux" rmmod colinux
sleep 1
memfree_back "$mem0" 8192 && ok "all guest memory back after rmmod (MemFree $mem0 -> $(memfree) kB)" ||
	not_ok "all guest memory back after rmmod (MemFree $mem0 -> $(memfree) kB)"
bad=$(dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|stall|lockup')
[ -z "$bad" ] && ok "host kernel log clean" ||
	{ not_ok "host kernel log clean"; echo "$bad" | head -n 5 | sed 's/^/COTEST #   /'; }
