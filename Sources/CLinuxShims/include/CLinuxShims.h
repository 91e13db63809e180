#ifndef CHECKPOINT_CLINUXSHIMS_H
#define CHECKPOINT_CLINUXSHIMS_H
/// Linux calls and ioctl macros that do not import into Swift (function-like ioctl macros such as
/// EVIOCGRAB and HIDIOCSFEATURE, and variadic calls).
/// Each returns what the underlying call returns (-1 with errno set on failure).
#include <stddef.h>
#include <stdint.h>
/* Linux headers Glibc's Swift module leaves out (DeviceIO's event loop needs them). */
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// posix_openpt + grantpt + unlockpt; on success writes the slave path into `name` and returns the
/// master fd (O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC).
int cp_open_pty_master(char *name, size_t name_len);

/// EVIOCGRAB: grab (1) or release (0) an evdev device exclusively.
int cp_evdev_grab(int fd, int grab);

/// HIDIOCSFEATURE / HIDIOCGFEATURE on a hidraw fd; `len` bytes including the report id.
int cp_hidraw_set_feature(int fd, const uint8_t *buf, size_t len);
int cp_hidraw_get_feature(int fd, uint8_t *buf, size_t len);

/// TIOCSRS485: enable kernel RS-485 direction control on a native UART (delays in ms).
int cp_serial_set_rs485(int fd, int enable, uint32_t delay_before_send_ms, uint32_t delay_after_send_ms);

/// TIOCEXCL: no further open() of this tty succeeds (except by root with CAP_SYS_ADMIN).
int cp_serial_set_exclusive(int fd);

/// Number of bytes waiting in the input queue (FIONREAD).
int cp_bytes_available(int fd);

/// TIOCGEXCL: 1 if the tty is in exclusive mode (TIOCEXCL), 0 if not, -1 with errno on failure.
int cp_serial_get_exclusive(int fd);

/// Names the calling thread (the kernel keeps 15 bytes; shown by top -H, /proc/.../comm, gdb).
int cp_set_thread_name(const char *name);

/// The calling thread's kernel thread id (gettid).
int cp_thread_id(void);

/// The kernel's clock sync state (adjtimex, read only): 1 if synchronised (not TIME_ERROR and
/// STA_UNSYNC clear), 0 if not, -1 with errno set on failure.
int cp_clock_synced(void);

/// The peer of a connected Unix socket (SO_PEERCRED): 0 and its uid, gid and pid, or -1 with errno.
int cp_peer_credentials(int fd, unsigned int *uid, unsigned int *gid, int *pid);

#endif
