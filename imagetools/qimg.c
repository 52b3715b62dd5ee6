// SPDX-License-Identifier: GPL-2.0
/* qimg.c --- qemu-img calls: probe a disk, name a byte range, copy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "qimg.h"
#include "run.h"

int co_qimg_info(const char *path, char *format, int len, uint64_t *size,
		 struct co_err *err)
{
	const char *argv[] = { "qemu-img", "info", "--output=json", path,
			       NULL };
	struct json_object *root, *fmt, *vsize;
	char *out;
	int ret;

	ret = co_run(argv, CO_RUN_CAPTURE, &out, err);
	if (ret)
		goto out_free;
	root = json_tokener_parse(out);
	if (!root) {
		ret = co_fail(err, -EPROTO, "qemu-img info: unreadable output");
		goto out_free;
	}
	if (!json_object_object_get_ex(root, "format", &fmt) ||
	    !json_object_object_get_ex(root, "virtual-size", &vsize)) {
		ret = co_fail(err, -EPROTO,
			      "qemu-img info: no format or virtual-size");
		goto out_put;
	}
	snprintf(format, (size_t)len, "%s", json_object_get_string(fmt));
	*size = (uint64_t)json_object_get_int64(vsize);
out_put:
	json_object_put(root);
out_free:
	free(out);
	return ret;
}

char *co_qimg_range(const char *path, const char *format, uint64_t offset,
		    uint64_t size)
{
	struct json_object *file, *fmt, *range;
	char *name = NULL;

	file = json_object_new_object();
	json_object_object_add(file, "driver", json_object_new_string("file"));
	json_object_object_add(file, "filename", json_object_new_string(path));
	if (strcmp(format, "raw")) {
		fmt = json_object_new_object();
		json_object_object_add(fmt, "driver",
				       json_object_new_string(format));
		json_object_object_add(fmt, "file", file);
		file = fmt;
	}
	range = json_object_new_object();
	json_object_object_add(range, "driver", json_object_new_string("raw"));
	json_object_object_add(range, "offset",
			       json_object_new_int64((int64_t)offset));
	json_object_object_add(range, "size",
			       json_object_new_int64((int64_t)size));
	json_object_object_add(range, "file", file);
	if (asprintf(&name, "json:%s",
		     json_object_to_json_string_ext(
			     range, JSON_C_TO_STRING_PLAIN)) < 0)
		name = NULL;
	json_object_put(range);
	return name;
}

int co_qimg_copy(const char *src, const char *dst, bool create, bool progress,
		 struct co_err *err)
{
	const char *argv[10];
	int n = 0;

	argv[n++] = "qemu-img";
	argv[n++] = "convert";
	if (progress)
		argv[n++] = "-p";
	argv[n++] = "-O";
	argv[n++] = "raw";
	if (!create)
		argv[n++] = "-n";
	argv[n++] = src;
	argv[n++] = dst;
	argv[n] = NULL;
	return co_run(argv, progress ? CO_RUN_SHOW : 0, NULL, err);
}
