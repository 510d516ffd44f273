/* ph-plugin-test-util.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ph-plugin-test-util.h"

void
ph_test_write_archive (const char      *path,
                       const TestEntry *entries,
                       guint            n_entries)
{
  struct archive *a = archive_write_new ();
  gboolean zip = g_str_has_suffix (path, ".zip");

  if (zip)
    archive_write_set_format_zip (a);
  else
    {
      archive_write_set_format_pax_restricted (a);
      if (g_str_has_suffix (path, ".xz"))
        archive_write_add_filter_xz (a);
      else
        archive_write_add_filter_gzip (a);
    }
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);

  for (guint i = 0; i < n_entries; i++)
    {
      const TestEntry *e = &entries[i];
      struct archive_entry *entry = archive_entry_new ();
      g_autofree char *filled = NULL;
      const char *data = e->data;
      gsize size = e->data ? strlen (e->data) : e->size;

      if (data == NULL && size > 0)
        {
          filled = g_malloc (size);
          memset (filled, 'a', size);
          data = filled;
        }

      archive_entry_set_pathname (entry, e->path);
      archive_entry_set_mtime (entry, 1700000000, 0);
      switch (e->type)
        {
        case TEST_FILE:
          archive_entry_set_filetype (entry, AE_IFREG);
          archive_entry_set_perm (entry, 0644);
          archive_entry_set_size (entry, size);
          break;
        case TEST_DIR:
          archive_entry_set_filetype (entry, AE_IFDIR);
          archive_entry_set_perm (entry, 0755);
          size = 0;
          break;
        case TEST_SYMLINK:
          archive_entry_set_filetype (entry, AE_IFLNK);
          archive_entry_set_perm (entry, 0777);
          archive_entry_set_symlink (entry, e->link);
          size = 0;
          break;
        case TEST_HARDLINK:
          archive_entry_set_filetype (entry, AE_IFREG);
          archive_entry_set_perm (entry, 0644);
          archive_entry_set_hardlink (entry, e->link);
          archive_entry_set_size (entry, 0);
          size = 0;
          break;
        case TEST_CHARDEV:
          archive_entry_set_filetype (entry, AE_IFCHR);
          archive_entry_set_perm (entry, 0644);
          archive_entry_set_rdev (entry, makedev (1, 3));
          size = 0;
          break;
        case TEST_FIFO:
          archive_entry_set_filetype (entry, AE_IFIFO);
          archive_entry_set_perm (entry, 0644);
          size = 0;
          break;
        default:
          g_assert_not_reached ();
        }

      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      if (size > 0)
        g_assert_cmpint (archive_write_data (a, data, size), ==, (la_ssize_t) size);
      archive_entry_free (entry);
    }

  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
}

char *
ph_test_manifest (const char *name,
                  const char *version,
                  const char *compat)
{
  return g_strdup_printf ("{\"name\": \"%s\", \"version\": \"%s\", \"title\": \"%s plugin\", "
                          "\"description\": \"A plugin for tests\", \"versionCompat\": \"%s\"}\n",
                          name, version, name, compat);
}

char *
ph_test_write_plugin_archive (const char *dir,
                              const char *name,
                              const char *version,
                              const char *compat,
                              GHashTable *extra_files)
{
  g_autofree char *manifest = ph_test_manifest (name, version, compat);
  g_autofree char *top = g_strdup_printf ("%s/", name);
  g_autofree char *manifest_path = g_strdup_printf ("%s/plugin.json", name);
  g_autofree char *readme_path = g_strdup_printf ("%s/README", name);
  g_autofree char *readme = g_strdup_printf ("%s %s\n", name, version);
  g_autofree char *file = g_strdup_printf ("%s-%s.tar.gz", name, version);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (TestEntry));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  TestEntry e;

  e = (TestEntry) { top, TEST_DIR, NULL, 0, NULL };
  g_array_append_val (entries, e);
  e = (TestEntry) { manifest_path, TEST_FILE, manifest, 0, NULL };
  g_array_append_val (entries, e);
  e = (TestEntry) { readme_path, TEST_FILE, readme, 0, NULL };
  g_array_append_val (entries, e);

  if (extra_files != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, extra_files);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          char *p = g_strdup_printf ("%s/%s", name, (char *) key);
          g_ptr_array_add (keep, p);
          e = (TestEntry) { p, TEST_FILE, value, 0, NULL };
          g_array_append_val (entries, e);
        }
    }

  ph_test_write_archive (path, (TestEntry *) entries->data, entries->len);
  return path;
}

char *
ph_test_sha256_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

char *
ph_test_write_catalog (const char  *dir,
                       const char  *name,
                       const char **versions,
                       const char **compats,
                       const char **archives,
                       guint        n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *path = g_build_filename (dir, "index.json", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "apiVersion");
  json_builder_add_string_value (b, "porthole.catalog/v1");
  json_builder_set_member_name (b, "plugins");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, "Test plugin");
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "Used by the tests");
  json_builder_set_member_name (b, "versions");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *archive_path = g_build_filename (dir, archives[i], NULL);
      g_autofree char *sha = ph_test_sha256_file (archive_path);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, versions[i]);
      json_builder_set_member_name (b, "versionCompat");
      json_builder_add_string_value (b, compats[i]);
      json_builder_set_member_name (b, "archive");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, archives[i]);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, sha);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  g_assert_true (json_generator_to_file (gen, path, NULL));

  return path;
}

void
ph_test_rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      /* Tests may leave read-only folders behind. */
      g_chmod (path, 0755);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          ph_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

guint
ph_test_count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}
