#define _GNU_SOURCE
#include <sys/socket.h>
#include "CLinuxShims.h"

int cp_peer_credentials(int fd, unsigned int *uid, unsigned int *gid, int *pid) {
    struct ucred cred;
    socklen_t length = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) return -1;
    *uid = cred.uid;
    *gid = cred.gid;
    *pid = cred.pid;
    return 0;
}
