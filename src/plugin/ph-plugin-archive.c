/* ph-plugin-archive.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "ph-plugin-archive.h"
#include "ph-plugin-error.h"

/* Archives come from the network: nothing in one is trusted.  Entries are
 * written by hand rather than with archive_write_disk so every rule is
 * ours: paths are relative and free of "..", parents are opened with
 * O_NOFOLLOW so no entry is ever written through a symlink, files are
 * created with O_EXCL, links must resolve inside the plugin folder, and
 * nothing but folders, regular files and such links is accepted. */

static gboolean
unsafe (GError    **error,
        const char *entry,
        const char *why)
{
  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE,
               "Refusing archive entry “%s”: %s", entry, why);
  return FALSE;
}

/* Splits @path into components, dropping "." and empty ones.  Returns
 * NULL (with an error) for absolute paths and "..". */
static GPtrArray *
split_entry_path (const char  *path,
                  GError     **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) split = NULL;

  if (path[0] == '/')
    {
      unsafe (error, path, "absolute path");
      return NULL;
    }

  split = g_strsplit (path, "/", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      if (split[i][0] == '\0' || strcmp (split[i], ".") == 0)
        continue;
      if (strcmp (split[i], "..") == 0)
        {
          unsafe (error, path, "path contains “..”");
          return NULL;
        }
      g_ptr_array_add (parts, g_strdup (split[i]));
    }

  return g_steal_pointer (&parts);
}

static char *
join_parts (GPtrArray *parts,
            guint      n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n && i < parts->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, g_ptr_array_index (parts, i));
    }

  return g_string_free (out, FALSE);
}

/* Opens (creating as needed) the folder made of the first @n components,
 * refusing to pass through anything but real folders. */
static int
open_dir_nofollow (int          root_fd,
                   GPtrArray   *parts,
                   guint        n,
                   const char  *entry,
                   GHashTable  *created_dirs,
                   GError     **error)
{
  int fd = dup (root_fd);

  if (fd < 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                   "Cannot duplicate folder handle: %s", g_strerror (errno));
      return -1;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *name = g_ptr_array_index (parts, i);
      int next;

      if (mkdirat (fd, name, 0755) == 0)
        {
          if (created_dirs != NULL)
            g_hash_table_add (created_dirs, join_parts (parts, i + 1));
        }
      else if (errno != EEXIST)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                       "Cannot create folder for “%s”: %s", entry, g_strerror (saved));
          return -1;
        }

      next = openat (fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0)
        {
          int saved = errno;
          close (fd);
          if (saved == ELOOP || saved == ENOTDIR)
            unsafe (error, entry, "a parent folder is a link or a file");
          else
            g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                         "Cannot open folder for “%s”: %s", entry, g_strerror (saved));
          return -1;
        }
      close (fd);
      fd = next;
    }

  return fd;
}

/* Lexically resolves a link target relative to the link's folder and
 * checks it stays inside the top-level folder. */
static gboolean
link_target_is_inside (GPtrArray  *link_parts,
                       const char *target)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_auto(GStrv) split = NULL;

  if (target[0] == '\0' || target[0] == '/')
    return FALSE;

  /* Start from the link's own folder (without the link name). */
  for (guint i = 0; i + 1 < link_parts->len; i++)
    g_ptr_array_add (stack, g_ptr_array_index (link_parts, i));

  split = g_strsplit (target, "/", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      if (split[i][0] == '\0' || strcmp (split[i], ".") == 0)
        continue;
      if (strcmp (split[i], "..") == 0)
        {
          /* Never above the top-level folder, which is stack[0]. */
          if (stack->len <= 1)
            return FALSE;
          g_ptr_array_remove_index (stack, stack->len - 1);
          continue;
        }
      g_ptr_array_add (stack, split[i]);
    }

  return stack->len >= 1;
}

static gboolean
write_entry_data (struct archive  *a,
                  int              fd,
                  const char      *entry,
                  guint64          max_entry,
                  guint64          max_total,
                  guint64         *total,
                  GCancellable    *cancellable,
                  GError         **error)
{
  guint64 written = 0;

  for (;;)
    {
      const void *block;
      size_t size;
      la_int64_t offset;
      int r = archive_read_data_block (a, &block, &size, &offset);

      if (r == ARCHIVE_EOF)
        break;
      if (r != ARCHIVE_OK)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                       "Cannot read “%s” from the archive: %s", entry, archive_error_string (a));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* Sparse holes count against the limits too: the file's extent is
       * what lands on disk. */
      {
        guint64 end = (guint64) offset + size;
        guint64 growth = end > written ? end - written : 0;

        if (offset < 0 || end > max_entry)
          return unsafe (error, entry, "larger than the size limit for one file");
        if (*total + growth > max_total)
          return unsafe (error, entry, "the archive expands beyond the size limit");
        *total += growth;
        written = MAX (written, end);
      }

      {
        const char *p = block;
        size_t left = size;
        off_t at = offset;

        while (left > 0)
          {
            ssize_t n = pwrite (fd, p, left, at);

            if (n < 0)
              {
                if (errno == EINTR)
                  continue;
                g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                             "Cannot write “%s”: %s", entry, g_strerror (errno));
                return FALSE;
              }
            p += n;
            left -= n;
            at += n;
          }
      }
    }

  if (ftruncate (fd, written) != 0 || fsync (fd) != 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                   "Cannot write “%s”: %s", entry, g_strerror (errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
ph_plugin_fsync_path (const char  *path,
                      GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                   "Cannot flush %s to disk: %s", path, g_strerror (saved));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* Flushes every file and folder below @path (links are not followed). */
gboolean
ph_plugin_fsync_tree (const char  *path,
                      GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                   "Cannot stat %s: %s", path, g_strerror (errno));
      return FALSE;
    }
  if (S_ISLNK (st.st_mode))
    return TRUE;
  if (!S_ISDIR (st.st_mode))
    return ph_plugin_fsync_path (path, error);

  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!ph_plugin_fsync_tree (child, error))
        return FALSE;
    }

  return ph_plugin_fsync_path (path, error);
}

static gboolean
check_links_resolve_inside (const char  *destination,
                            const char  *root,
                            GPtrArray   *links,
                            GError     **error)
{
  char root_real[PATH_MAX];

  if (realpath (root, root_real) == NULL)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                   "Cannot resolve %s: %s", root, g_strerror (errno));
      return FALSE;
    }

  for (guint i = 0; i < links->len; i++)
    {
      const char *relative = g_ptr_array_index (links, i);
      g_autofree char *path = g_build_filename (destination, relative, NULL);
      char real[PATH_MAX];
      gsize len = strlen (root_real);

      /* Links may chain through other links: only the resolved path tells
       * where one really points. */
      if (realpath (path, real) == NULL)
        return unsafe (error, relative, "the link points to nothing inside the plugin");
      if (strncmp (real, root_real, len) != 0 || (real[len] != '/' && real[len] != '\0'))
        return unsafe (error, relative, "the link points outside the plugin folder");
    }

  return TRUE;
}

char *
ph_plugin_archive_extract (const char             *archive_path,
                           const char             *destination,
                           const PhArchiveLimits  *limits,
                           PhArchiveProgressFunc   progress,
                           gpointer                progress_data,
                           GCancellable           *cancellable,
                           GError                **error)
{
  struct archive *a;
  struct archive_entry *entry;
  g_autofree char *top = NULL;
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  guint64 total = 0;
  guint n_entries = 0;
  gboolean ok = FALSE;
  int root_fd = -1;

  g_return_val_if_fail (archive_path != NULL, NULL);
  g_return_val_if_fail (destination != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  root_fd = open (destination, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root_fd < 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                   "Cannot open %s: %s", destination, g_strerror (errno));
      return NULL;
    }

  a = archive_read_new ();
  archive_read_support_filter_gzip (a);
  archive_read_support_filter_xz (a);
  archive_read_support_format_tar (a);
  archive_read_support_format_gnutar (a);
  archive_read_support_format_zip (a);

  if (archive_read_open_filename (a, archive_path, 64 * 1024) != ARCHIVE_OK)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                   "Cannot open the archive: %s", archive_error_string (a));
      goto out;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) parts = NULL;
      const char *pathname;
      const char *hardlink;
      mode_t type;
      int r;
      int parent_fd;
      const char *base;

      r = archive_read_next_header (a, &entry);
      if (r == ARCHIVE_EOF)
        break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                       "Cannot read the archive: %s", archive_error_string (a));
          goto out;
        }

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (++n_entries > limits->max_entries)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE,
                       "Refusing the archive: more than %u entries", limits->max_entries);
          goto out;
        }

      pathname = archive_entry_pathname (entry);
      if (pathname == NULL)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                       "The archive has an entry without a name");
          goto out;
        }

      parts = split_entry_path (pathname, error);
      if (parts == NULL)
        goto out;
      if (parts->len == 0)
        continue;

      if (top == NULL)
        top = g_strdup (g_ptr_array_index (parts, 0));
      else if (strcmp (top, g_ptr_array_index (parts, 0)) != 0)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                       "The archive has more than one top-level entry (“%s” and “%s”); "
                       "a plugin archive holds exactly one folder",
                       top, (char *) g_ptr_array_index (parts, 0));
          goto out;
        }

      type = archive_entry_filetype (entry);
      hardlink = archive_entry_hardlink (entry);

      if (parts->len == 1 && (type != AE_IFDIR || hardlink != NULL))
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                       "The archive's top-level entry “%s” is not a folder", pathname);
          goto out;
        }

      if (hardlink == NULL)
        {
          switch (type)
            {
            case AE_IFDIR:
            case AE_IFREG:
            case AE_IFLNK:
              break;
            case AE_IFCHR:
            case AE_IFBLK:
              unsafe (error, pathname, "device files are not allowed");
              goto out;
            case AE_IFIFO:
              unsafe (error, pathname, "FIFOs are not allowed");
              goto out;
            case AE_IFSOCK:
              unsafe (error, pathname, "sockets are not allowed");
              goto out;
            default:
              unsafe (error, pathname, "unknown entry type");
              goto out;
            }
        }

      if (type == AE_IFDIR && hardlink == NULL)
        {
          int fd = open_dir_nofollow (root_fd, parts, parts->len, pathname, dirs, error);
          if (fd < 0)
            goto out;
          close (fd);
          continue;
        }

      parent_fd = open_dir_nofollow (root_fd, parts, parts->len - 1, pathname, dirs, error);
      if (parent_fd < 0)
        goto out;
      base = g_ptr_array_index (parts, parts->len - 1);

      if (hardlink != NULL)
        {
          g_autoptr(GPtrArray) target_parts = split_entry_path (hardlink, error);
          g_autofree char *target = NULL;

          if (target_parts == NULL)
            {
              close (parent_fd);
              goto out;
            }
          target = join_parts (target_parts, target_parts->len);
          if (!g_hash_table_contains (files, target))
            {
              close (parent_fd);
              unsafe (error, pathname, "hard link to something that is not a file of this plugin");
              goto out;
            }
          if (linkat (root_fd, target, parent_fd, base, 0) != 0)
            {
              int saved = errno;
              close (parent_fd);
              if (saved == EEXIST)
                unsafe (error, pathname, "duplicate entry");
              else
                g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                             "Cannot create hard link “%s”: %s", pathname, g_strerror (saved));
              goto out;
            }
        }
      else if (type == AE_IFLNK)
        {
          const char *target = archive_entry_symlink (entry);

          if (target == NULL || !link_target_is_inside (parts, target))
            {
              close (parent_fd);
              unsafe (error, pathname, "symbolic link points outside the plugin folder");
              goto out;
            }
          if (symlinkat (target, parent_fd, base) != 0)
            {
              int saved = errno;
              close (parent_fd);
              if (saved == EEXIST)
                unsafe (error, pathname, "duplicate entry");
              else
                g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                             "Cannot create link “%s”: %s", pathname, g_strerror (saved));
              goto out;
            }
          g_ptr_array_add (links, join_parts (parts, parts->len));
        }
      else
        {
          mode_t mode = (archive_entry_perm (entry) & 0111) ? 0755 : 0644;
          int fd;

          if (archive_entry_size_is_set (entry) &&
              (guint64) archive_entry_size (entry) > limits->max_entry_size)
            {
              close (parent_fd);
              unsafe (error, pathname, "larger than the size limit for one file");
              goto out;
            }
          if (archive_entry_size_is_set (entry) &&
              total + (guint64) archive_entry_size (entry) > limits->max_total_size)
            {
              close (parent_fd);
              unsafe (error, pathname, "the archive expands beyond the size limit");
              goto out;
            }

          fd = openat (parent_fd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
          if (fd < 0)
            {
              int saved = errno;
              close (parent_fd);
              if (saved == EEXIST)
                unsafe (error, pathname, "duplicate entry");
              else
                g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
                             "Cannot create “%s”: %s", pathname, g_strerror (saved));
              goto out;
            }
          if (!write_entry_data (a, fd, pathname, limits->max_entry_size, limits->max_total_size,
                                 &total, cancellable, error))
            {
              close (fd);
              close (parent_fd);
              goto out;
            }
          close (fd);
          g_hash_table_add (files, join_parts (parts, parts->len));

          if (progress != NULL)
            progress (total, progress_data);
        }

      close (parent_fd);
    }

  if (top == NULL)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_ARCHIVE,
                   "The archive is empty");
      goto out;
    }

  {
    g_autofree char *root = g_build_filename (destination, top, NULL);

    if (!check_links_resolve_inside (destination, root, links, error))
      goto out;
    if (!ph_plugin_fsync_tree (root, error))
      goto out;
    if (!ph_plugin_fsync_path (destination, error))
      goto out;
  }

  ok = TRUE;

out:
  archive_read_free (a);
  if (root_fd >= 0)
    close (root_fd);

  return ok ? g_steal_pointer (&top) : NULL;
}
