/*
 * PID 1 of the Linux boot test (emulator/linux): reports what the kernel found, takes
 * every secondary CPU offline and back online, faults in all free memory, runs a small
 * guest through /dev/kvm, and powers off through SBI SRST. Each result is one line
 * starting "linux-test:", which emulator/linux/boot-test.py compares across firmwares.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

extern const char guest_code[], guest_code_end[];

static int failures;

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("linux-test: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("linux-test: FAIL ");
	vprintf(fmt, ap);
	printf(" (errno %d)\n", errno);
	fflush(stdout);
	va_end(ap);
	failures++;
}

/* The kernel log lines that say what it found: SBI, ISA, memory, reservations. */
static void report_kernel_view(void)
{
	static char log[1 << 18];
	static const char *const keys[] = { "SBI specification", "SBI implementation",
		"SBI ", "riscv: ISA", "reserved", "Memory:", "smp:", "kvm", "Zone ranges",
		"riscv-timer", "sstc", NULL };
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	if (n < 0) {
		fail("klogctl");
		return;
	}
	log[n] = 0;
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		const char *text = line;
		if (text[0] == '<' && strchr(text, '>')) /* the log level */
			text = strchr(text, '>') + 1;
		if (text[0] == '[' && strchr(text, ']')) /* a timestamp, if printk has them */
			text = strchr(text, ']') + 1;
		while (*text == ' ')
			text++;
		for (unsigned k = 0; keys[k]; k++)
			if (strstr(text, keys[k])) {
				say("kernel: %s", text);
				break;
			}
	}
}

static int read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static void hotplug(void)
{
	char buf[64], path[96];
	if (read_file("/sys/devices/system/cpu/online", buf, sizeof(buf)) < 0) {
		fail("read /sys/devices/system/cpu/online");
		return;
	}
	buf[strcspn(buf, "\n")] = 0;
	say("cpus online: %s", buf);
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	for (long c = 1; c < cpus; c++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/online", c);
		if (write_file(path, "0") != 0) {
			fail("cpu%ld offline", c);
			continue;
		}
		if (read_file(path, buf, sizeof(buf)) < 0 || buf[0] != '0') {
			fail("cpu%ld still online", c);
			continue;
		}
		/* Linux may start the hart again before the firmware has it stopped (seen under
		 * OpenSBI on a loaded host: the start is refused); it is the kernel's to retry */
		int tries = 0, err = 0;
		while (write_file(path, "1") != 0 && ++tries < 20) {
			err = errno;
			usleep(50000);
		}
		if (tries)
			printf("linux-test: note: cpu%ld back online after %d retries (errno %d)\n", c, tries, err);
		if (read_file(path, buf, sizeof(buf)) < 0 || buf[0] != '1') {
			fail("cpu%ld back online", c);
			continue;
		}
		say("cpu%ld offline and back online", c);
	}
}

static long meminfo(const char *key)
{
	static char buf[4096];
	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	const char *p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Every free page, touched: firmware memory offered to Linux by mistake faults here. */
static void fault_in_memory(void)
{
	long total = meminfo("MemTotal:"), avail = meminfo("MemAvailable:");
	long want = avail - 6 * 1024; /* leave the kernel some room, in KiB */
	if (total < 0 || avail < 0 || want <= 0) {
		fail("meminfo");
		return;
	}
	say("memory: total %ld KiB, available %ld KiB", total, avail);
	size_t bytes = (size_t)want * 1024;
	unsigned char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fail("mmap %zu", bytes);
		return;
	}
	for (size_t i = 0; i < bytes; i += 4096)
		p[i] = (unsigned char)i;
	say("memory: touched %ld KiB", want);
	munmap(p, bytes);
}

static int set_one_reg(int vcpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };
	return ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static void run_kvm_guest(void)
{
	int kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0) {
		fail("open /dev/kvm");
		return;
	}
	say("kvm: API version %d", ioctl(kvm, KVM_GET_API_VERSION, 0));
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fail("KVM_CREATE_VM");
		return;
	}
	size_t mem_size = 1 << 20;
	void *mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memcpy(mem, guest_code, (size_t)(guest_code_end - guest_code));
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0x80000000, .memory_size = mem_size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (mem == MAP_FAILED || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		fail("guest memory");
		return;
	}
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu < 0 || run_size <= 0) {
		fail("KVM_CREATE_VCPU");
		return;
	}
	struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	uint64_t pc_id = KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | KVM_REG_RISCV_CORE_REG(regs.pc);
	if (run == MAP_FAILED || set_one_reg(vcpu, pc_id, 0x80000000) < 0) {
		fail("vcpu set-up");
		return;
	}
	bool mmio = false, sbi = false;
	for (int i = 0; i < 8 && !sbi; i++) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			fail("KVM_RUN");
			return;
		}
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write) {
			uint32_t v;
			memcpy(&v, run->mmio.data, sizeof(v));
			say("kvm: guest MMIO write of 0x%x at 0x%llx", v, (unsigned long long)run->mmio.phys_addr);
			mmio = v == 0x4b564d21;
		} else if (run->exit_reason == KVM_EXIT_RISCV_SBI) {
			say("kvm: guest SBI call eid 0x%lx a0 %lu", run->riscv_sbi.extension_id, run->riscv_sbi.args[0]);
			sbi = run->riscv_sbi.extension_id == 0x08000000 && run->riscv_sbi.args[0] == 42;
		} else {
			fail("unexpected exit %u", run->exit_reason);
			return;
		}
	}
	if (mmio && sbi)
		say("kvm: guest ran");
	else
		fail("kvm guest");
}

int main(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	say("init started");
	report_kernel_view();
	hotplug();
	fault_in_memory();
	run_kvm_guest();
	say("%s, powering off", failures ? "FAILED" : "all passed");
	sync();
	reboot(RB_POWER_OFF);
	fail("reboot returned");
	for (;;)
		pause();
}
