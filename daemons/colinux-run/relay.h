/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay.h --- the host end of colinux-run's sound forward.
 *
 * PulseAudio lets in a client of its own user by the credentials that come
 * with the client's data on its unix socket.  libpulse sends them with
 * every packet; ssh, which carries the guest's connection here, does not,
 * and the kernel adds them by itself only while the server has SO_PASSCRED
 * on the connection, which it sets just after accept(): data that ssh wrote
 * in between came without, and the server refused the program now and then
 * ("Access denied", about one run in ten of tests/desktop).  So ssh's
 * connections end here, and each is carried on to the server with this
 * process's credentials on every write.  PipeWire's pulse server asks the
 * socket (SO_PEERCRED) and takes either.
 */
#ifndef CO_RELAY_H
#define CO_RELAY_H

/*
 * Accept connections on the listening unix socket @listen_fd and carry each
 * to the unix socket @server (a process per connection).  Returns only when
 * accept() fails.
 */
void co_relay_serve(int listen_fd, const char *server);

#endif
