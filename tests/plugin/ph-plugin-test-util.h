/* ph-plugin-test-util.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TEST_FILE,
  TEST_DIR,
  TEST_SYMLINK,
  TEST_HARDLINK,
  TEST_CHARDEV,
  TEST_FIFO,
} TestEntryType;

typedef struct {
  const char    *path;
  TestEntryType  type;
  const char    *data;  /* file contents; NULL with size > 0 fills with 'a' */
  gsize          size;
  const char    *link;  /* symlink target or hard link source */
} TestEntry;

void  ph_test_write_archive        (const char      *path,
                                    const TestEntry *entries,
                                    guint            n_entries);
/* Writes <dir>/<name>-<version>.tar.gz holding <name>/plugin.json (plus
 * @extra_files, path → contents, may be NULL) and returns its path. */
char *ph_test_write_plugin_archive (const char      *dir,
                                    const char      *name,
                                    const char      *version,
                                    const char      *compat,
                                    GHashTable      *extra_files);
char *ph_test_manifest             (const char      *name,
                                    const char      *version,
                                    const char      *compat);
char *ph_test_sha256_file          (const char      *path);
/* Writes a catalog JSON listing @name with the archives as relative URLs:
 * versions[i], compats[i], archives[i] (basename inside the catalog dir). */
char *ph_test_write_catalog        (const char      *dir,
                                    const char      *name,
                                    const char     **versions,
                                    const char     **compats,
                                    const char     **archives,
                                    guint            n);
void  ph_test_rm_rf                (const char      *path);
guint ph_test_count_entries        (const char      *dir);

G_END_DECLS
