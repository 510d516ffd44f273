/* ph-plugin-archive.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint   max_entries;
  guint64 max_total_size;  /* bytes of all regular files together */
  guint64 max_entry_size;  /* bytes of one regular file */
} PhArchiveLimits;

typedef void (*PhArchiveProgressFunc) (guint64  bytes_written,
                                       gpointer user_data);

/* Extracts @archive_path (.tar.gz, .tar.xz or .zip) into the empty folder
 * @destination and returns the name of its one top-level folder. */
char *ph_plugin_archive_extract (const char             *archive_path,
                                 const char             *destination,
                                 const PhArchiveLimits  *limits,
                                 PhArchiveProgressFunc   progress,
                                 gpointer                progress_data,
                                 GCancellable           *cancellable,
                                 GError                **error);

gboolean ph_plugin_fsync_path   (const char             *path,
                                 GError                **error);
gboolean ph_plugin_fsync_tree   (const char             *path,
                                 GError                **error);

G_END_DECLS
