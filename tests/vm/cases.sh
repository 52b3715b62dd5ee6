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
cases=all rounds=1000000
for w in $cmdline; do
	case $w in
	cotest.cases=*) cases=${w#cotest.cases=} ;;
	cotest.rounds=*) rounds=${w#cotest.rounds=} ;;
	esac
done
want() { [ "$cases" = all ] || case ,$cases, in *,$1,*) true ;; *) false ;; esac; }

# cotest prints its own results; a crash or an early exit is one more failure.
cotest() {
	./cotest "$@"
	local rc=$?
	[ $rc = 0 ] || not_ok "cotest $*: exit status $rc"
}

memfree() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
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

check "rmmod colinux" rmmod colinux
sleep 1
memfree_back "$mem0" 8192 && ok "all guest memory back after rmmod (MemFree $mem0 -> $(memfree) kB)" ||
	not_ok "all guest memory back after rmmod (MemFree $mem0 -> $(memfree) kB)"
bad=$(dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|stall|lockup')
[ -z "$bad" ] && ok "host kernel log clean" ||
	{ not_ok "host kernel log clean"; echo "$bad" | head -n 5 | sed 's/^/COTEST #   /'; }
