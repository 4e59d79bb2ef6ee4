/* privdrop.c — give up root (or the file capabilities) once the interface is open. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

/* Clear the effective, permitted and inheritable sets (ambient ones go with permitted). */
static int
drop_caps(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof(d));
    return (int)syscall(SYS_capset, &h, d);
}

int
live_drop_privileges(const char *user, char *err, size_t errlen)
{
    if (geteuid() != 0 && getuid() != 0) {
        /* Started unprivileged with CAP_NET_RAW (setcap): the socket is open, drop it. */
        if (drop_caps() != 0) {
            snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    errno = 0;
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        snprintf(err, errlen, "--user: no user '%s'%s%s", user, errno ? ": " : "",
                 errno ? strerror(errno) : "");
        return -1;
    }
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        snprintf(err, errlen, "cannot switch to user '%s': %s", user, strerror(errno));
        return -1;
    }
    if (uid != 0 && (setuid(0) == 0 || getuid() != uid || geteuid() != uid)) {
        snprintf(err, errlen, "switched to user '%s' but root could be regained", user);
        return -1;
    }
    return 0;
}
