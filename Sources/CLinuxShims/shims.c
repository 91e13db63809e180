#define _GNU_SOURCE
#include "CLinuxShims.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <linux/input.h>
#include <linux/hidraw.h>
#include <linux/serial.h>

int cp_open_pty_master(char *name, size_t name_len) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, name_len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int cp_evdev_grab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, (void *)(intptr_t)grab); }

int cp_hidraw_set_feature(int fd, const uint8_t *buf, size_t len) {
    return ioctl(fd, HIDIOCSFEATURE(len), buf);
}

int cp_hidraw_get_feature(int fd, uint8_t *buf, size_t len) {
    return ioctl(fd, HIDIOCGFEATURE(len), buf);
}

int cp_serial_set_rs485(int fd, int enable, uint32_t before_ms, uint32_t after_ms) {
    struct serial_rs485 conf;
    memset(&conf, 0, sizeof conf);
    if (enable) {
        conf.flags = SER_RS485_ENABLED | SER_RS485_RTS_ON_SEND;
        conf.delay_rts_before_send = before_ms;
        conf.delay_rts_after_send = after_ms;
    }
    return ioctl(fd, TIOCSRS485, &conf);
}

int cp_serial_set_exclusive(int fd) { return ioctl(fd, TIOCEXCL); }

int cp_bytes_available(int fd) {
    int n = 0;
    if (ioctl(fd, FIONREAD, &n) != 0) return -1;
    return n;
}

int cp_serial_get_exclusive(int fd) {
    int excl = 0;
    if (ioctl(fd, TIOCGEXCL, &excl) != 0) return -1;
    return excl != 0;
}

int cp_set_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = 0;
    return pthread_setname_np(pthread_self(), truncated);
}

int cp_thread_id(void) { return (int)syscall(SYS_gettid); }
