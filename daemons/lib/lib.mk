# SPDX-License-Identifier: GPL-2.0
# daemons/lib: libco, the small common library of the host programs.
LIBCO_OBJS := $(addprefix $(O)/daemons/lib/,log.o err.o cfg.o io.o buf.o out.o usock-linux.o)
CFLAGS_daemons := -Idaemons/lib/include

$(O)/lib/libco.a: $(LIBCO_OBJS)
	@mkdir -p $(dir $@)
	$(E) AR $@
	$(Q)$(AR) rcs $@ $^
