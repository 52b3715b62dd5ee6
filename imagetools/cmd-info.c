// SPDX-License-Identifier: GPL-2.0
/* cmd-info.c --- colinux-img info: what a disk holds, and which is root. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include <co/log.h>

#include "cmd.h"
#include "select.h"
#include "size.h"

static void print_text(const struct co_disk *disk, int root, const char *why)
{
	char size[32];

	co_size_format(disk->size, size, sizeof(size));
	printf("%s: %s, %s, partition table: %s\n", disk->path, disk->format,
	       size, disk->pttype[0] ? disk->pttype : "none");
	printf("  %-3s %-10s %-10s %-10s %-22s %-12s %-16s %s\n", "#", "start",
	       "sectors", "size", "type", "filesystem", "label", "uuid");
	for (int i = 0; i < disk->nparts; i++) {
		const struct co_part *p = &disk->part[i];

		co_size_format(p->size, size, sizeof(size));
		printf("  %-3d %-10llu %-10llu %-10s %-22s %-12s %-16s %s%s\n",
		       p->number, (unsigned long long)(p->start / CO_SECTOR),
		       (unsigned long long)(p->size / CO_SECTOR), size,
		       co_part_type_name(disk, p),
		       p->fstype[0] ? p->fstype : "-",
		       p->label[0] ? p->label : "-", p->uuid[0] ? p->uuid : "-",
		       i == root ? "  <- root" : "");
	}
	if (root >= 0)
		printf("root filesystem: %s (%s)\n",
		       co_part_what(&disk->part[root], size, sizeof(size)),
		       why);
}

static struct json_object *jstr(const char *s)
{
	return s[0] ? json_object_new_string(s) : NULL;
}

static void print_json(const struct co_disk *disk, int root,
		       const char *problem)
{
	struct json_object *o = json_object_new_object(), *parts, *p;

	json_object_object_add(o, "file", json_object_new_string(disk->path));
	json_object_object_add(o, "format",
			       json_object_new_string(disk->format));
	json_object_object_add(o, "virtual_size",
			       json_object_new_int64((int64_t)disk->size));
	json_object_object_add(o, "sector_size", json_object_new_int(512));
	json_object_object_add(o, "partition_table", jstr(disk->pttype));
	parts = json_object_new_array();
	for (int i = 0; i < disk->nparts; i++) {
		const struct co_part *cp = &disk->part[i];

		p = json_object_new_object();
		json_object_object_add(p, "number",
				       json_object_new_int(cp->number));
		json_object_object_add(
			p, "start_sector",
			json_object_new_int64(
				(int64_t)(cp->start / CO_SECTOR)));
		json_object_object_add(
			p, "sectors",
			json_object_new_int64((int64_t)(cp->size / CO_SECTOR)));
		json_object_object_add(
			p, "size", json_object_new_int64((int64_t)cp->size));
		json_object_object_add(
			p, "type",
			json_object_new_string(co_part_type_name(disk, cp)));
		json_object_object_add(p, "extended",
				       json_object_new_boolean(cp->extended));
		json_object_object_add(p, "logical",
				       json_object_new_boolean(cp->logical));
		json_object_object_add(p, "filesystem", jstr(cp->fstype));
		json_object_object_add(p, "label", jstr(cp->label));
		json_object_object_add(p, "uuid", jstr(cp->uuid));
		json_object_array_add(parts, p);
	}
	json_object_object_add(o, "partitions", parts);
	json_object_object_add(
		o, "root",
		root >= 0 ? json_object_new_int(disk->part[root].number) :
			    NULL);
	json_object_object_add(
		o, "problem", problem ? json_object_new_string(problem) : NULL);
	printf("%s\n",
	       json_object_to_json_string_ext(
		       o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	json_object_put(o);
}

static int info_run(const struct co_img_cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct co_root_choice rc = { .index = -1, .why = "" };
	const char *problem = NULL;
	struct co_disk disk;
	struct co_err err;
	bool json = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return co_cmd_usage(cmd, "unknown option");
		json = true;
	}
	if (argc - optind != 1)
		return co_cmd_usage(cmd, "expected one DISK");
	ret = co_disk_open(&disk, argv[optind], co_cmd_progress() && !json,
			   &err);
	if (ret) {
		co_err("%s: %s", argv[optind], err.msg);
		return CO_EXIT_FAIL;
	}
	ret = co_disk_check_layout(&disk, &err);
	if (!ret)
		ret = co_select_part(&disk, -1, &rc, &err);
	if (ret)
		problem = err.msg;
	if (json)
		print_json(&disk, rc.index, problem);
	else
		print_text(&disk, rc.index, rc.why);
	co_disk_close(&disk);
	if (problem && !json)
		co_err("%s: %s", disk.path, problem);
	return problem ? CO_EXIT_FAIL : CO_EXIT_OK;
}

const struct co_img_cmd co_cmd_info = {
	.name = "info",
	.synopsis = "DISK [--json]",
	.summary =
		"format, size, partitions and filesystems of DISK; which is root",
	.run = info_run,
};
