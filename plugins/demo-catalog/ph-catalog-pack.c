/* ph-catalog-pack.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Packs plugin folders into .tar.gz archives and writes a catalog index
 * (porthole.catalog/v1) listing them with relative URLs and checksums:
 *
 *   ph-catalog-pack OUTDIR PLUGIN-FOLDER…
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

static void
collect (const char *root,
         const char *relative,
         GPtrArray  *files)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = *relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect (root, child_rel, files);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&child_rel));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static gboolean
add_entry (struct archive *a,
           const char     *name,
           mode_t          type,
           const char     *data,
           gsize           size)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, type);
  archive_entry_set_perm (entry, type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_size (entry, size);
  archive_entry_set_mtime (entry, 0, 0);
  ok = archive_write_header (a, entry) == ARCHIVE_OK &&
       (size == 0 || archive_write_data (a, data, size) == (la_ssize_t) size);
  archive_entry_free (entry);

  return ok;
}

/* Deterministic: sorted entries, fixed times and owners. */
static gboolean
pack (const char *folder,
      const char *top,
      const char *output)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *top_dir = g_strconcat (top, "/", NULL);
  struct archive *a = archive_write_new ();
  gboolean ok = TRUE;

  collect (folder, "", files);
  g_ptr_array_sort (files, compare_strings);

  archive_write_set_format_pax_restricted (a);
  archive_write_add_filter_gzip (a);
  archive_write_set_filter_option (a, "gzip", "timestamp", NULL);
  if (archive_write_open_filename (a, output) != ARCHIVE_OK)
    {
      g_printerr ("Cannot write %s: %s\n", output, archive_error_string (a));
      archive_write_free (a);
      return FALSE;
    }

  ok = add_entry (a, top_dir, AE_IFDIR, NULL, 0);
  for (guint i = 0; ok && i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (folder, rel, NULL);
      g_autofree char *name = g_build_filename (top, rel, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      ok = g_file_get_contents (path, &contents, &len, NULL) &&
           add_entry (a, name, AE_IFREG, contents, len);
    }

  ok = archive_write_close (a) == ARCHIVE_OK && ok;
  archive_write_free (a);
  if (!ok)
    g_printerr ("Cannot pack %s into %s\n", folder, output);

  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *index = NULL;
  g_autoptr(GError) error = NULL;

  if (argc < 3)
    {
      g_printerr ("Usage: %s OUTDIR PLUGIN-FOLDER…\n", argv[0]);
      return 2;
    }

  for (int i = 2; i < argc; i++)
    {
      g_autofree char *manifest_path = g_build_filename (argv[i], "plugin.json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *manifest;
      const char *name, *version;
      g_autofree char *file = NULL;
      g_autofree char *output = NULL;
      g_autofree char *contents = NULL;
      gsize len;
      JsonObject *entry;
      GPtrArray *versions;

      if (!json_parser_load_from_file (parser, manifest_path, &error))
        {
          g_printerr ("%s: %s\n", manifest_path, error->message);
          return 1;
        }
      manifest = json_node_get_object (json_parser_get_root (parser));
      name = json_object_get_string_member (manifest, "name");
      version = json_object_get_string_member (manifest, "version");

      file = g_strdup_printf ("%s-%s.tar.gz", name, version);
      output = g_build_filename (argv[1], file, NULL);
      if (!pack (argv[i], name, output))
        return 1;
      if (!g_file_get_contents (output, &contents, &len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      entry = json_object_new ();
      json_object_set_string_member (entry, "version", version);
      json_object_set_string_member (entry, "versionCompat",
                                     json_object_get_string_member (manifest, "versionCompat"));
      {
        JsonObject *archive = json_object_new ();
        g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);

        json_object_set_string_member (archive, "url", file);
        json_object_set_string_member (archive, "sha256", sha);
        json_object_set_object_member (entry, "archive", archive);
      }
      json_object_set_string_member (entry, "title", json_object_get_string_member (manifest, "title"));
      json_object_set_string_member (entry, "description",
                                     json_object_get_string_member_with_default (manifest, "description", ""));

      versions = g_hash_table_lookup (by_name, name);
      if (versions == NULL)
        {
          versions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
          g_hash_table_insert (by_name, g_strdup (name), versions);
          g_ptr_array_add (order, g_strdup (name));
        }
      g_ptr_array_add (versions, entry);
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "apiVersion");
  json_builder_add_string_value (b, "porthole.catalog/v1");
  json_builder_set_member_name (b, "plugins");
  json_builder_begin_array (b);
  for (guint i = 0; i < order->len; i++)
    {
      const char *name = g_ptr_array_index (order, i);
      GPtrArray *versions = g_hash_table_lookup (by_name, name);
      JsonObject *last = g_ptr_array_index (versions, versions->len - 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, json_object_get_string_member (last, "title"));
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, json_object_get_string_member (last, "description"));
      json_builder_set_member_name (b, "versions");
      json_builder_begin_array (b);
      for (guint k = 0; k < versions->len; k++)
        {
          JsonObject *v = g_ptr_array_index (versions, k);
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_object_remove_member (v, "title");
          json_object_remove_member (v, "description");
          json_node_set_object (node, v);
          json_builder_add_value (b, node);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  index = g_build_filename (argv[1], "index.json", NULL);
  if (!json_generator_to_file (gen, index, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return 0;
}
