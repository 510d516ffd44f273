/* ph-plugin-installer.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "ph-plugin-archive.h"
#include "ph-plugin-error.h"
#include "ph-plugin-fetch.h"
#include "ph-plugin-installer.h"
#include "ph-semver.h"

/* How an operation changes a plugin directory <dir>:
 *
 *   <dir>/.lock                  flock()ed for the whole operation, so the
 *                                app and the CLI never interleave
 *   <dir>/.staging/op-XXXXXX/    everything before the swap happens here:
 *       archive                  the download, hashed while it streams
 *       tree/<top>/              the extracted plugin, fsynced
 *       journal.json             only for the two-rename fallback
 *
 * The new folder is put in place with one renameat2(RENAME_EXCHANGE), so
 * <dir>/<name> is at every instant either the whole old or the whole new
 * plugin; the old copy then sits in the staging folder and is deleted.
 * Where the file system cannot exchange, the two renames are journaled and
 * recovery finishes them.  Recovery runs under the lock at the start of
 * every operation and when the loader starts (unless another process holds
 * the lock): it completes journaled swaps and deletes .staging. */

#define DEFAULT_MAX_DOWNLOAD   (64 * 1024 * 1024)
#define DEFAULT_MAX_ENTRIES    10000
#define DEFAULT_MAX_EXTRACTED  (256 * 1024 * 1024)

struct _PhPluginInstaller
{
  GObject    parent_instance;

  char      *directory;
  char      *porthole_version;
  GPtrArray *catalogs;
  GMutex     mutex;  /* guards catalogs against the worker threads */
  guint64    max_download;
  guint      max_entries;
  guint64    max_extracted;
};

G_DEFINE_FINAL_TYPE (PhPluginInstaller, ph_plugin_installer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_PORTHOLE_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
ph_plugin_phase_to_string (PhPluginPhase phase)
{
  switch (phase)
    {
    case PH_PLUGIN_PHASE_WAITING: return "waiting";
    case PH_PLUGIN_PHASE_RESOLVING: return "resolving";
    case PH_PLUGIN_PHASE_DOWNLOADING: return "downloading";
    case PH_PLUGIN_PHASE_VERIFYING: return "verifying";
    case PH_PLUGIN_PHASE_EXTRACTING: return "extracting";
    case PH_PLUGIN_PHASE_CHECKING: return "checking";
    case PH_PLUGIN_PHASE_SWAPPING: return "swapping";
    case PH_PLUGIN_PHASE_CLEANING: return "cleaning";
    default: return "unknown";
    }
}

/* Test hooks: the crash-safety tests kill a process at a named point, or
 * hold it there (with the lock taken) until a file disappears. */
static void
test_point (const char *name)
{
  const char *crash = g_getenv ("PORTHOLE_PLUGIN_TEST_CRASH_AT");
  const char *pause = g_getenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT");

  if (crash != NULL && strcmp (crash, name) == 0)
    raise (SIGKILL);

  if (pause != NULL && strcmp (pause, name) == 0)
    {
      const char *file = g_getenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE");

      if (file == NULL)
        return;
      g_file_set_contents (file, name, -1, NULL);
      while (g_file_test (file, G_FILE_TEST_EXISTS))
        g_usleep (10 * 1000);
    }
}

/* Makes the named step fail with EIO, as on a disk that went bad;
 * PORTHOLE_PLUGIN_TEST_FAIL_AT lists steps separated by commas. */
static gboolean
test_fail (const char *name)
{
  const char *fail = g_getenv ("PORTHOLE_PLUGIN_TEST_FAIL_AT");
  g_auto(GStrv) names = NULL;

  if (fail == NULL)
    return FALSE;
  names = g_strsplit (fail, ",", -1);
  if (!g_strv_contains ((const char * const *) names, name))
    return FALSE;

  errno = EIO;
  return TRUE;
}

static void
ph_plugin_installer_finalize (GObject *object)
{
  PhPluginInstaller *self = (PhPluginInstaller *) object;

  g_free (self->directory);
  g_free (self->porthole_version);
  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ph_plugin_installer_parent_class)->finalize (object);
}

static void
ph_plugin_installer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PhPluginInstaller *self = PH_PLUGIN_INSTALLER (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_PORTHOLE_VERSION:
      g_value_set_string (value, self->porthole_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_plugin_installer_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PhPluginInstaller *self = PH_PLUGIN_INSTALLER (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;
    case PROP_PORTHOLE_VERSION:
      ph_plugin_installer_set_porthole_version (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_plugin_installer_class_init (PhPluginInstallerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ph_plugin_installer_finalize;
  object_class->get_property = ph_plugin_installer_get_property;
  object_class->set_property = ph_plugin_installer_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORTHOLE_VERSION] =
    g_param_spec_string ("porthole-version", NULL, NULL, PACKAGE_VERSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_plugin_installer_init (PhPluginInstaller *self)
{
  g_mutex_init (&self->mutex);
  self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
  self->porthole_version = g_strdup (PACKAGE_VERSION);
  self->max_download = DEFAULT_MAX_DOWNLOAD;
  self->max_entries = DEFAULT_MAX_ENTRIES;
  self->max_extracted = DEFAULT_MAX_EXTRACTED;
}

PhPluginInstaller *
ph_plugin_installer_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (PH_TYPE_PLUGIN_INSTALLER, "directory", directory, NULL);
}

const char *
ph_plugin_installer_get_directory (PhPluginInstaller *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);
  return self->directory;
}

const char *
ph_plugin_installer_get_porthole_version (PhPluginInstaller *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);
  return self->porthole_version;
}

void
ph_plugin_installer_set_porthole_version (PhPluginInstaller *self,
                                          const char        *version)
{
  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));
  g_return_if_fail (version != NULL);

  if (g_strcmp0 (self->porthole_version, version) == 0)
    return;

  g_free (self->porthole_version);
  self->porthole_version = g_strdup (version);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTHOLE_VERSION]);
}

void
ph_plugin_installer_set_limits (PhPluginInstaller *self,
                                guint64            max_download,
                                guint              max_entries,
                                guint64            max_extracted)
{
  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));

  self->max_download = max_download;
  self->max_entries = max_entries;
  self->max_extracted = max_extracted;
}

void
ph_plugin_installer_add_catalog (PhPluginInstaller *self,
                                 PhPluginCatalog   *catalog)
{
  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));
  g_return_if_fail (PH_IS_PLUGIN_CATALOG (catalog));

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->catalogs, g_object_ref (catalog));
  g_mutex_unlock (&self->mutex);
}

GPtrArray *
ph_plugin_installer_get_catalogs (PhPluginInstaller *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);

  g_mutex_lock (&self->mutex);
  copy = g_ptr_array_copy (self->catalogs, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (copy, g_object_unref);
  g_mutex_unlock (&self->mutex);

  return copy;
}

GPtrArray *
ph_plugin_installer_search (PhPluginInstaller *self,
                            const char        *term)
{
  g_autoptr(GPtrArray) catalogs = NULL;
  GPtrArray *result;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);

  catalogs = ph_plugin_installer_get_catalogs (self);
  result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < catalogs->len; i++)
    {
      PhPluginCatalog *catalog = g_ptr_array_index (catalogs, i);

      for (guint j = 0; j < ph_plugin_catalog_get_n_plugins (catalog); j++)
        {
          PhCatalogPlugin *plugin = ph_plugin_catalog_get_plugin (catalog, j);
          gboolean seen = FALSE;

          for (guint k = 0; k < result->len && !seen; k++)
            seen = g_strcmp0 (ph_catalog_plugin_get_name (g_ptr_array_index (result, k)),
                              ph_catalog_plugin_get_name (plugin)) == 0;

          if (!seen && ph_catalog_plugin_matches (plugin, term))
            g_ptr_array_add (result, g_object_ref (plugin));
        }
    }

  return result;
}

PhCatalogPlugin *
ph_plugin_installer_lookup (PhPluginInstaller *self,
                            const char        *name)
{
  g_autoptr(GPtrArray) catalogs = NULL;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  catalogs = ph_plugin_installer_get_catalogs (self);
  for (guint i = 0; i < catalogs->len; i++)
    {
      PhCatalogPlugin *plugin = ph_plugin_catalog_lookup (g_ptr_array_index (catalogs, i), name);

      if (plugin != NULL)
        return plugin;
    }

  return NULL;
}

const PhCatalogVersion *
ph_plugin_installer_find_update (PhPluginInstaller  *self,
                                 const char         *name,
                                 const char         *installed_version,
                                 PhCatalogPlugin   **plugin_out)
{
  PhCatalogPlugin *plugin;
  const PhCatalogVersion *best;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  plugin = ph_plugin_installer_lookup (self, name);
  if (plugin_out != NULL)
    *plugin_out = plugin;
  if (plugin == NULL)
    return NULL;

  best = ph_catalog_plugin_find_compatible (plugin, self->porthole_version);
  if (best == NULL)
    return NULL;
  if (installed_version != NULL && ph_semver_compare (best->version, installed_version, NULL) <= 0)
    return NULL;

  return best;
}

/* File system helpers */

static gboolean
io_error (GError    **error,
          const char *what,
          const char *path)
{
  int saved = errno;

  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO,
               "Cannot %s %s: %s", what, path, g_strerror (saved));
  return FALSE;
}

/* Deletes a tree without following links. */
static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      if (errno == ENOENT)
        return TRUE;
      return io_error (error, "inspect", path);
    }

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* A replaced plugin placed by hand may hold read-only folders; left
       * in .staging, they would make every later recovery fail. */
      if ((st.st_mode & S_IRWXU) != S_IRWXU && g_chmod (path, (st.st_mode & 07777) | S_IRWXU) != 0)
        return io_error (error, "make writable", path);

      dir = g_dir_open (path, 0, error);
      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!remove_tree (child, error))
            return FALSE;
        }
      if (g_rmdir (path) != 0)
        return io_error (error, "remove", path);
    }
  else if (g_unlink (path) != 0)
    return io_error (error, "remove", path);

  return TRUE;
}

static gboolean
ensure_dir (const char  *path,
            GError     **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    return io_error (error, "create", path);
  return TRUE;
}

static gboolean
exists_nofollow (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0;
}

/* The lock */

typedef struct {
  int fd;
} DirLock;

static void
dir_lock_release (DirLock *lock)
{
  if (lock->fd >= 0)
    {
      flock (lock->fd, LOCK_UN);
      close (lock->fd);
      lock->fd = -1;
    }
}

static gboolean
dir_lock_acquire (PhPluginInstaller     *self,
                  DirLock               *lock,
                  PhPluginProgressFunc   progress,
                  gpointer               progress_data,
                  GCancellable          *cancellable,
                  GError               **error)
{
  g_autofree char *path = g_build_filename (self->directory, ".lock", NULL);
  gboolean reported = FALSE;

  lock->fd = -1;

  if (!ensure_dir (self->directory, error))
    return FALSE;

  lock->fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock->fd < 0)
    return io_error (error, "open", path);

  /* Poll rather than block, so a waiting operation stays cancellable. */
  while (flock (lock->fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          io_error (error, "lock", path);
          dir_lock_release (lock);
          return FALSE;
        }
      if (!reported && progress != NULL)
        progress (PH_PLUGIN_PHASE_WAITING, 0, 0, progress_data);
      reported = TRUE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          dir_lock_release (lock);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }

  return TRUE;
}

/* Recovery, called with the lock held. */

static gboolean
fsync_dir (const char  *path,
           GError     **error)
{
  return ph_plugin_fsync_path (path, error);
}

/* The journal names the staged copy as "tree/<folder>"; anything else is
 * not ours to move.  A folder name may contain dots ("a..b"), so this
 * looks at whole components rather than substrings. */
static gboolean
staged_path_is_safe (const char *rel)
{
  g_auto(GStrv) parts = g_strsplit (rel, G_DIR_SEPARATOR_S, -1);

  return g_strv_length (parts) == 2 && strcmp (parts[0], "tree") == 0 &&
         parts[1][0] != '\0' && strcmp (parts[1], ".") != 0 && strcmp (parts[1], "..") != 0;
}

static gboolean
recover_op (PhPluginInstaller  *self,
            const char         *op_dir,
            GError            **error)
{
  g_autofree char *journal = g_build_filename (op_dir, "journal.json", NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  const char *name, *new_rel;
  g_autofree char *target = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *old_path = NULL;

  if (!g_file_test (journal, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, journal, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      /* The journal is written and flushed before the first rename, so a
       * torn journal means no rename happened. */
      return TRUE;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  name = json_object_get_string_member_with_default (object, "name", NULL);
  new_rel = json_object_get_string_member_with_default (object, "new", NULL);
  if (name == NULL || new_rel == NULL || !ph_plugin_name_is_valid (name) ||
      !staged_path_is_safe (new_rel))
    return TRUE;

  target = g_build_filename (self->directory, name, NULL);
  new_path = g_build_filename (op_dir, new_rel, NULL);
  old_path = g_build_filename (op_dir, "old", NULL);

  if (exists_nofollow (target))
    return TRUE;

  /* The old copy has been moved aside but the new one is not in place:
   * the new copy was complete and flushed before the journal was written,
   * so finish the update. */
  if (exists_nofollow (new_path))
    {
      g_debug ("Recovery: completing the update of %s", name);
      if (g_rename (new_path, target) != 0)
        return io_error (error, "move into place", new_path);
    }
  else if (exists_nofollow (old_path))
    {
      g_debug ("Recovery: restoring the previous %s", name);
      if (g_rename (old_path, target) != 0)
        return io_error (error, "restore", old_path);
    }

  return fsync_dir (self->directory, error);
}

static gboolean
recover_locked (PhPluginInstaller  *self,
                GError            **error)
{
  g_autofree char *staging = g_build_filename (self->directory, ".staging", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (staging, G_FILE_TEST_IS_DIR))
    return TRUE;

  dir = g_dir_open (staging, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *op_dir = g_build_filename (staging, name, NULL);

      if (!recover_op (self, op_dir, error))
        return FALSE;
      if (!remove_tree (op_dir, error))
        return FALSE;
    }

  return fsync_dir (staging, error);
}

gboolean
ph_plugin_installer_recover (PhPluginInstaller  *self,
                             GCancellable       *cancellable,
                             GError            **error)
{
  DirLock lock;
  gboolean ok;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), FALSE);

  if (!dir_lock_acquire (self, &lock, NULL, NULL, cancellable, error))
    return FALSE;
  ok = recover_locked (self, error);
  dir_lock_release (&lock);

  return ok;
}

/* Creates <dir>/.staging/op-XXXXXX.  Both new entries are flushed: the
 * journal of a two-rename swap lives in there, and recovery can only
 * finish a swap whose journal it can find after a power cut. */
static char *
create_op_dir (PhPluginInstaller  *self,
               GError            **error)
{
  g_autofree char *staging = g_build_filename (self->directory, ".staging", NULL);
  g_autofree char *op_dir = g_build_filename (staging, "op-XXXXXX", NULL);
  gboolean created = !g_file_test (staging, G_FILE_TEST_IS_DIR);

  if (!ensure_dir (staging, error))
    return NULL;
  if (created && !fsync_dir (self->directory, error))
    return NULL;
  if (g_mkdtemp (op_dir) == NULL)
    {
      io_error (error, "create", op_dir);
      return NULL;
    }
  if (!fsync_dir (staging, error))
    {
      g_rmdir (op_dir);
      return NULL;
    }

  return g_steal_pointer (&op_dir);
}

gboolean
ph_plugin_installer_recover_if_idle (PhPluginInstaller  *self,
                                     GError            **error)
{
  g_autofree char *staging = NULL;
  g_autofree char *path = NULL;
  DirLock lock;
  gboolean ok;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), FALSE);

  /* Every operation leaves .staging behind only when interrupted. */
  staging = g_build_filename (self->directory, ".staging", NULL);
  if (!g_file_test (staging, G_FILE_TEST_IS_DIR))
    return TRUE;

  path = g_build_filename (self->directory, ".lock", NULL);
  lock.fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock.fd < 0)
    return io_error (error, "open", path);
  if (flock (lock.fd, LOCK_EX | LOCK_NB) != 0)
    {
      gboolean busy = errno == EWOULDBLOCK;

      if (!busy)
        io_error (error, "lock", path);
      close (lock.fd);
      return busy;
    }

  ok = recover_locked (self, error);
  dir_lock_release (&lock);

  return ok;
}

/* Installing */

typedef struct {
  PhPluginProgressFunc func;
  gpointer             data;
} Progress;

static void
report (Progress      *progress,
        PhPluginPhase  phase,
        guint64        done,
        guint64        total)
{
  if (progress->func != NULL)
    progress->func (phase, done, total, progress->data);
}

static gboolean
download (PhPluginInstaller       *self,
          const PhCatalogVersion  *version,
          const char              *archive_path,
          Progress                *progress,
          GCancellable            *cancellable,
          GError                 **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) local_error = NULL;
  goffset length = -1;
  guint64 done = 0;
  guint8 buffer[65536];
  int fd;

  report (progress, PH_PLUGIN_PHASE_DOWNLOADING, 0, 0);

  stream = ph_plugin_fetch_open (version->url, &length, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_DOWNLOAD_FAILED,
                     "%s", local_error->message);
      return FALSE;
    }

  if (length > 0 && (guint64) length > self->max_download)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_TOO_LARGE,
                   "The archive %s is %" G_GINT64_FORMAT " bytes; the limit is %" G_GUINT64_FORMAT,
                   version->display_url, (gint64) length, self->max_download);
      return FALSE;
    }

  fd = open (archive_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return io_error (error, "create", archive_path);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, &local_error);
      const guint8 *p = buffer;
      gsize left;

      if (n < 0)
        {
          close (fd);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_DOWNLOAD_FAILED,
                         "Download of %s failed: %s", version->display_url, local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;

      if (done + n > self->max_download)
        {
          close (fd);
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_TOO_LARGE,
                       "The archive %s is larger than the limit of %" G_GUINT64_FORMAT " bytes",
                       version->display_url, self->max_download);
          return FALSE;
        }

      g_checksum_update (checksum, buffer, n);
      for (left = n; left > 0;)
        {
          ssize_t w = write (fd, p, left);

          if (w < 0)
            {
              if (errno == EINTR)
                continue;
              io_error (error, "write", archive_path);
              close (fd);
              return FALSE;
            }
          p += w;
          left -= w;
        }

      done += n;
      report (progress, PH_PLUGIN_PHASE_DOWNLOADING, done, length > 0 ? (guint64) length : 0);
    }

  if (fsync (fd) != 0)
    {
      io_error (error, "flush", archive_path);
      close (fd);
      return FALSE;
    }
  close (fd);

  test_point ("after-download");

  report (progress, PH_PLUGIN_PHASE_VERIFYING, done, done);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Nothing of an archive is looked at before its checksum matches. */
  if (g_ascii_strcasecmp (g_checksum_get_string (checksum), version->sha256) != 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CHECKSUM_MISMATCH,
                   "Checksum mismatch for %s: the catalog says sha256 %s, the download has %s",
                   version->display_url, version->sha256, g_checksum_get_string (checksum));
      return FALSE;
    }

  return TRUE;
}

static void
extract_progress (guint64  bytes,
                  gpointer user_data)
{
  report (user_data, PH_PLUGIN_PHASE_EXTRACTING, bytes, 0);
}

static gboolean
write_install_info (const char              *folder,
                    PhCatalogPlugin         *plugin,
                    const PhCatalogVersion  *version,
                    GError                 **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  g_autofree char *data = NULL;
  g_autofree char *path = g_build_filename (folder, PH_PLUGIN_INSTALL_INFO, NULL);
  int fd;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "catalog");
  json_builder_add_string_value (builder, ph_catalog_plugin_get_catalog (plugin));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, ph_catalog_plugin_get_name (plugin));
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, version->version);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, version->display_url);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, version->sha256);
  json_builder_set_member_name (builder, "installedAt");
  json_builder_add_string_value (builder, time);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  data = json_generator_to_data (generator, &len);

  /* O_EXCL: an archive that ships its own install record is refused
   * rather than trusted. */
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      if (errno == EEXIST)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE,
                       "The archive contains %s, which only the plugin manager writes",
                       PH_PLUGIN_INSTALL_INFO);
          return FALSE;
        }
      return io_error (error, "create", path);
    }
  if (write (fd, data, len) != (ssize_t) len || fsync (fd) != 0)
    {
      io_error (error, "write", path);
      close (fd);
      return FALSE;
    }
  close (fd);

  return fsync_dir (folder, error);
}

static gboolean
force_two_renames (void)
{
  return g_strcmp0 (g_getenv ("PORTHOLE_PLUGIN_TEST_NO_EXCHANGE"), "1") == 0;
}

static gboolean
swap_with_journal (PhPluginInstaller  *self,
                   const char         *op_dir,
                   const char         *name,
                   const char         *new_rel,
                   GError            **error)
{
  g_autofree char *journal = g_build_filename (op_dir, "journal.json", NULL);
  g_autofree char *journal_tmp = g_build_filename (op_dir, "journal.json.tmp", NULL);
  g_autofree char *target = g_build_filename (self->directory, name, NULL);
  g_autofree char *new_path = g_build_filename (op_dir, new_rel, NULL);
  g_autofree char *old_path = g_build_filename (op_dir, "old", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;

  /* The staged folder is named by the archive, so it may hold quotes or
   * backslashes: a journal that does not parse would make recovery throw
   * the old copy away. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "new");
  json_builder_add_string_value (builder, new_rel);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);

  {
    int fd = open (journal_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    gsize len = strlen (data);

    if (fd < 0)
      return io_error (error, "create", journal_tmp);
    if (write (fd, data, len) != (ssize_t) len || fsync (fd) != 0)
      {
        io_error (error, "write", journal_tmp);
        close (fd);
        return FALSE;
      }
    close (fd);
    if (g_rename (journal_tmp, journal) != 0)
      return io_error (error, "commit", journal);
    if (!fsync_dir (op_dir, error))
      return FALSE;
  }

  if (g_rename (target, old_path) != 0)
    return io_error (error, "move aside", target);
  test_point ("after-first-rename");
  if (test_fail ("move-into-place") || g_rename (new_path, target) != 0)
    {
      int saved = errno;

      /* Put the old one back before reporting.  Should that fail too, the
       * journal stays and the next recovery puts the new one in place. */
      if (!test_fail ("restore") && g_rename (old_path, target) == 0)
        fsync_dir (self->directory, NULL);
      errno = saved;
      return io_error (error, "move into place", new_path);
    }
  if (!fsync_dir (self->directory, error))
    return FALSE;
  test_point ("after-second-rename");

  if (g_unlink (journal) != 0)
    return io_error (error, "remove", journal);

  return fsync_dir (op_dir, error);
}

static gboolean
swap_into_place (PhPluginInstaller  *self,
                 const char         *op_dir,
                 const char         *name,
                 const char         *new_rel,
                 gboolean            replace,
                 GError            **error)
{
  g_autofree char *target = g_build_filename (self->directory, name, NULL);
  g_autofree char *new_path = g_build_filename (op_dir, new_rel, NULL);
  g_autofree char *new_parent = g_path_get_dirname (new_path);

  test_point ("before-swap");

  if (!replace)
    {
      if (renameat2 (AT_FDCWD, new_path, AT_FDCWD, target, RENAME_NOREPLACE) != 0)
        {
          if (errno != EINVAL && errno != ENOSYS)
            return io_error (error, "move into place", new_path);
          /* No RENAME_NOREPLACE here; the lock keeps others out anyway. */
          if (exists_nofollow (target))
            {
              errno = EEXIST;
              return io_error (error, "move into place", new_path);
            }
          if (g_rename (new_path, target) != 0)
            return io_error (error, "move into place", new_path);
        }
      if (!fsync_dir (self->directory, error))
        return FALSE;
      test_point ("after-swap");
      return TRUE;
    }

  if (force_two_renames () ||
      renameat2 (AT_FDCWD, new_path, AT_FDCWD, target, RENAME_EXCHANGE) != 0)
    {
      if (!force_two_renames () && errno != EINVAL && errno != ENOSYS)
        return io_error (error, "exchange", target);
      g_debug ("RENAME_EXCHANGE unavailable in %s: using journaled renames", self->directory);
      return swap_with_journal (self, op_dir, name, new_rel, error);
    }

  /* The old plugin now sits where the new one was staged. */
  if (!fsync_dir (self->directory, error) || !fsync_dir (new_parent, error))
    return FALSE;
  test_point ("after-swap");

  return TRUE;
}

/* Takes the lock and everything after the compatibility check. */
static char *
install_locked (PhPluginInstaller       *self,
                PhCatalogPlugin         *plugin,
                const PhCatalogVersion  *version,
                gboolean                 is_update,
                gboolean                 force,
                Progress                *progress,
                GCancellable            *cancellable,
                GError                 **error)
{
  const char *name = ph_catalog_plugin_get_name (plugin);
  g_autofree char *staging = g_build_filename (self->directory, ".staging", NULL);
  g_autofree char *target = g_build_filename (self->directory, name, NULL);
  g_autofree char *op_dir = NULL;
  g_autofree char *archive = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *top = NULL;
  g_autofree char *new_rel = NULL;
  g_autofree char *new_path = NULL;
  g_autoptr(PhInstalledPlugin) current = NULL;
  g_autoptr(PhPluginManifest) manifest = NULL;
  g_autoptr(GError) cleanup_error = NULL;
  g_autoptr(GError) local_error = NULL;
  PhArchiveLimits limits = { self->max_entries, self->max_extracted, self->max_extracted };
  gboolean replace = FALSE;
  gboolean ok = FALSE;
  DirLock lock;

  if (!dir_lock_acquire (self, &lock, progress->func, progress->data, cancellable, error))
    return NULL;

  if (!recover_locked (self, error))
    goto out;

  /* What is installed can only be judged under the lock. */
  if (exists_nofollow (target))
    {
      current = ph_installed_plugin_load (target, PH_PLUGIN_SOURCE_USER);

      if (!ph_installed_plugin_get_managed (current) && !force)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_MANAGED,
                       "%s exists but was not installed by the plugin manager; "
                       "remove it by hand or force the operation", target);
          goto out;
        }
      if (!is_update && !force)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_ALREADY_INSTALLED,
                       "%s %s is already installed in %s; use update",
                       name, ph_installed_plugin_get_version (current) ?: "(unreadable)",
                       self->directory);
          goto out;
        }
      if (is_update && ph_installed_plugin_get_version (current) != NULL &&
          ph_semver_compare (version->version, ph_installed_plugin_get_version (current), NULL) <= 0)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UP_TO_DATE,
                       "%s %s is already up to date", name, ph_installed_plugin_get_version (current));
          goto out;
        }
      replace = TRUE;
    }
  else if (is_update)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_INSTALLED,
                   "%s is not installed in %s", name, self->directory);
      goto out;
    }

  op_dir = create_op_dir (self, error);
  if (op_dir == NULL)
    goto out;

  archive = g_build_filename (op_dir, "archive", NULL);
  if (!download (self, version, archive, progress, cancellable, error))
    goto out;

  report (progress, PH_PLUGIN_PHASE_EXTRACTING, 0, 0);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  tree = g_build_filename (op_dir, "tree", NULL);
  if (!ensure_dir (tree, error))
    goto out;
  top = ph_plugin_archive_extract (archive, tree, &limits, extract_progress, progress, cancellable, error);
  if (top == NULL)
    {
      g_prefix_error (error, "%s %s (%s): ", name, version->version, version->display_url);
      goto out;
    }
  test_point ("after-extract");

  report (progress, PH_PLUGIN_PHASE_CHECKING, 0, 0);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  new_rel = g_build_filename ("tree", top, NULL);
  new_path = g_build_filename (op_dir, new_rel, NULL);
  manifest = ph_plugin_manifest_load (new_path, &local_error);
  if (manifest == NULL)
    {
      /* Name the archive, not the staging folder that is about to go. */
      g_set_error (error, PH_PLUGIN_ERROR, local_error->code,
                   "%s %s (%s): %s", name, version->version, version->display_url,
                   local_error->message + (strstr (local_error->message, new_path) == local_error->message
                                           ? strlen (new_path) + 1 : 0));
      goto out;
    }
  if (strcmp (manifest->name, name) != 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_MANIFEST_MISMATCH,
                   "The archive of %s %s holds plugin “%s”, not “%s”",
                   name, version->version, manifest->name, name);
      goto out;
    }
  if (ph_semver_compare (manifest->version, version->version, NULL) != 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_MANIFEST_MISMATCH,
                   "The archive of %s %s holds version %s",
                   name, version->version, manifest->version);
      goto out;
    }
  if (!ph_plugin_manifest_is_compatible (manifest, self->porthole_version))
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_INCOMPATIBLE,
                   "%s %s requires Porthole “%s” (its plugin.json says so); this is Porthole %s",
                   name, version->version, manifest->version_compat, self->porthole_version);
      goto out;
    }
  if (!write_install_info (new_path, plugin, version, error))
    goto out;

  /* Past this point a cancel is no longer honoured: the swap is one
   * atomic step and the operation completes. */
  report (progress, PH_PLUGIN_PHASE_SWAPPING, 0, 0);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (!swap_into_place (self, op_dir, name, new_rel, replace, error))
    goto out;

  ok = TRUE;

out:
  if (op_dir != NULL && replace && !ok && !exists_nofollow (target))
    {
      /* A two-rename swap failed half-way and could not be undone: both
       * copies and the journal stay for recovery, which completes it. */
      g_debug ("Leaving %s for recovery: %s is not in place", op_dir, target);
    }
  else if (op_dir != NULL)
    {
      report (progress, PH_PLUGIN_PHASE_CLEANING, 0, 0);
      test_point ("before-cleanup");
      if (!remove_tree (op_dir, &cleanup_error) || !fsync_dir (staging, &cleanup_error))
        g_warning ("Cannot clean up %s: %s", op_dir, cleanup_error->message);
    }
  dir_lock_release (&lock);

  return ok ? g_strdup (version->version) : NULL;
}

static gboolean
resolve (PhPluginInstaller        *self,
         const char               *name,
         const char               *wanted,
         PhCatalogPlugin         **plugin_out,
         const PhCatalogVersion  **version_out,
         GError                  **error)
{
  g_autoptr(GPtrArray) catalogs = ph_plugin_installer_get_catalogs (self);
  PhCatalogPlugin *plugin;
  const PhCatalogVersion *version;

  if (catalogs->len == 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NO_CATALOG,
                   "No plugin catalog is configured");
      return FALSE;
    }

  plugin = ph_plugin_installer_lookup (self, name);
  if (plugin == NULL)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_FOUND,
                   "No catalog offers a plugin named “%s”", name);
      return FALSE;
    }

  if (wanted != NULL)
    {
      version = ph_catalog_plugin_find_version (plugin, wanted);
      if (version == NULL)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_FOUND,
                       "%s has no version %s in %s", name, wanted, ph_catalog_plugin_get_catalog (plugin));
          return FALSE;
        }
      if (!ph_semver_satisfies (self->porthole_version, version->version_compat, FALSE))
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_INCOMPATIBLE,
                       "%s %s requires Porthole “%s”; this is Porthole %s",
                       name, version->version, version->version_compat, self->porthole_version);
          return FALSE;
        }
    }
  else
    {
      version = ph_catalog_plugin_find_compatible (plugin, self->porthole_version);
      if (version == NULL)
        {
          const PhCatalogVersion *newest = ph_catalog_plugin_get_n_versions (plugin) > 0
                                         ? ph_catalog_plugin_get_version (plugin, 0) : NULL;

          if (newest != NULL)
            g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_INCOMPATIBLE,
                         "No version of %s works with Porthole %s (the newest, %s, requires Porthole “%s”)",
                         name, self->porthole_version, newest->version, newest->version_compat);
          else
            g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_FOUND,
                         "%s has no versions in %s", name, ph_catalog_plugin_get_catalog (plugin));
          return FALSE;
        }
    }

  *plugin_out = plugin;
  *version_out = version;
  return TRUE;
}

char *
ph_plugin_installer_install (PhPluginInstaller     *self,
                             const char            *name,
                             const char            *version,
                             gboolean               force,
                             PhPluginProgressFunc   progress_func,
                             gpointer               progress_data,
                             GCancellable          *cancellable,
                             GError               **error)
{
  Progress progress = { progress_func, progress_data };
  PhCatalogPlugin *plugin;
  const PhCatalogVersion *chosen;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  report (&progress, PH_PLUGIN_PHASE_RESOLVING, 0, 0);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!resolve (self, name, version, &plugin, &chosen, error))
    return NULL;

  return install_locked (self, plugin, chosen, FALSE, force, &progress, cancellable, error);
}

char *
ph_plugin_installer_update (PhPluginInstaller     *self,
                            const char            *name,
                            PhPluginProgressFunc   progress_func,
                            gpointer               progress_data,
                            GCancellable          *cancellable,
                            GError               **error)
{
  Progress progress = { progress_func, progress_data };
  PhCatalogPlugin *plugin;
  const PhCatalogVersion *chosen;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  report (&progress, PH_PLUGIN_PHASE_RESOLVING, 0, 0);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!resolve (self, name, NULL, &plugin, &chosen, error))
    return NULL;

  return install_locked (self, plugin, chosen, TRUE, FALSE, &progress, cancellable, error);
}

gboolean
ph_plugin_installer_uninstall (PhPluginInstaller  *self,
                               const char         *name,
                               gboolean            force,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autofree char *target = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *op_dir = NULL;
  g_autofree char *removed = NULL;
  g_autoptr(PhInstalledPlugin) current = NULL;
  g_autoptr(GError) cleanup_error = NULL;
  gboolean ok = FALSE;
  DirLock lock;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!ph_plugin_name_is_valid (name))
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_INSTALLED,
                   "“%s” is not a valid plugin name", name);
      return FALSE;
    }

  if (!dir_lock_acquire (self, &lock, NULL, NULL, cancellable, error))
    return FALSE;
  if (!recover_locked (self, error))
    goto out;

  target = g_build_filename (self->directory, name, NULL);
  if (!g_file_test (target, G_FILE_TEST_IS_DIR) || g_file_test (target, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GPtrArray) dirs = ph_plugin_default_dirs ();
      g_autoptr(GPtrArray) all = ph_plugin_registry_scan (dirs);
      PhInstalledPlugin *elsewhere = ph_plugin_registry_find (all, name);

      if (elsewhere != NULL && ph_installed_plugin_get_source (elsewhere) == PH_PLUGIN_SOURCE_SHIPPED)
        g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_MANAGED,
                     "%s ships with Porthole (%s) and cannot be uninstalled; disable it instead",
                     name, ph_installed_plugin_get_path (elsewhere));
      else
        g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_INSTALLED,
                     "%s is not installed in %s", name, self->directory);
      goto out;
    }

  current = ph_installed_plugin_load (target, PH_PLUGIN_SOURCE_USER);
  if (!ph_installed_plugin_get_managed (current) && !force)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_MANAGED,
                   "%s was not installed by the plugin manager (no %s); force to remove it anyway",
                   target, PH_PLUGIN_INSTALL_INFO);
      goto out;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  staging = g_build_filename (self->directory, ".staging", NULL);
  op_dir = create_op_dir (self, error);
  if (op_dir == NULL)
    goto out;

  /* One rename takes the plugin away whole; deleting happens after. */
  removed = g_build_filename (op_dir, "removed", NULL);
  if (g_rename (target, removed) != 0)
    {
      io_error (error, "remove", target);
      goto out;
    }
  if (!fsync_dir (self->directory, error))
    goto out;
  test_point ("after-uninstall-rename");

  ok = TRUE;

out:
  if (op_dir != NULL)
    {
      if (!remove_tree (op_dir, &cleanup_error) || !fsync_dir (staging, &cleanup_error))
        g_warning ("Cannot clean up %s: %s", op_dir, cleanup_error->message);
    }
  dir_lock_release (&lock);

  return ok;
}

GPtrArray *
ph_plugin_installer_list (PhPluginInstaller *self)
{
  g_autoptr(GPtrArray) dirs = NULL;
  PhPluginDir *first;

  g_return_val_if_fail (PH_IS_PLUGIN_INSTALLER (self), NULL);

  /* This installer's folder stands in for the user folder. */
  dirs = ph_plugin_default_dirs ();
  first = g_ptr_array_index (dirs, 0);
  g_free (first->path);
  first->path = g_strdup (self->directory);

  return ph_plugin_registry_scan (dirs);
}

/* Async wrappers */

typedef struct {
  GMainContext         *context;
  PhPluginProgressFunc  func;
  gpointer              data;
  GDestroyNotify        destroy;
  char                 *name;
  char                 *version;
  gboolean              force;
} OpData;

typedef struct {
  GDestroyNotify destroy;
  gpointer       data;
} DeferredDestroy;

static gboolean
run_deferred_destroy (gpointer user_data)
{
  DeferredDestroy *d = user_data;

  d->destroy (d->data);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
op_data_free (OpData *op)
{
  /* The task may die in the worker thread; what the caller handed us
   * (often a widget) is released in the caller's context. */
  if (op->destroy != NULL)
    {
      DeferredDestroy *d = g_new0 (DeferredDestroy, 1);

      d->destroy = op->destroy;
      d->data = op->data;
      g_main_context_invoke (op->context, run_deferred_destroy, d);
    }
  g_main_context_unref (op->context);
  g_free (op->name);
  g_free (op->version);
  g_free (op);
}

typedef struct {
  OpData        *op;
  PhPluginPhase  phase;
  guint64        done;
  guint64        total;
  GTask         *task;
} ProgressEvent;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressEvent *event = user_data;

  if (!g_task_get_completed (event->task))
    event->op->func (event->phase, event->done, event->total, event->op->data);

  return G_SOURCE_REMOVE;
}

static void
progress_event_free (gpointer user_data)
{
  ProgressEvent *event = user_data;

  g_object_unref (event->task);
  g_free (event);
}

typedef struct {
  GTask  *task;
  OpData *op;
} ThreadProgress;

static void
thread_progress (PhPluginPhase phase,
                 guint64       done,
                 guint64       total,
                 gpointer      user_data)
{
  ThreadProgress *tp = user_data;
  ProgressEvent *event;

  if (tp->op->func == NULL)
    return;

  event = g_new0 (ProgressEvent, 1);
  event->op = tp->op;
  event->phase = phase;
  event->done = done;
  event->total = total;
  event->task = g_object_ref (tp->task);
  g_main_context_invoke_full (tp->op->context, G_PRIORITY_DEFAULT, deliver_progress, event, progress_event_free);
}

static void
install_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PhPluginInstaller *self = source_object;
  OpData *op = task_data;
  ThreadProgress tp = { task, op };
  GError *error = NULL;
  char *version;

  if (g_task_get_source_tag (task) == ph_plugin_installer_update_async)
    version = ph_plugin_installer_update (self, op->name, thread_progress, &tp, cancellable, &error);
  else
    version = ph_plugin_installer_install (self, op->name, op->version, op->force,
                                           thread_progress, &tp, cancellable, &error);

  if (version == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, version, g_free);
}

static void
start_op (PhPluginInstaller    *self,
          gpointer              tag,
          const char           *name,
          const char           *version,
          gboolean              force,
          PhPluginProgressFunc  progress,
          gpointer              progress_data,
          GDestroyNotify        progress_destroy,
          GCancellable         *cancellable,
          GAsyncReadyCallback   callback,
          gpointer              user_data,
          GTaskThreadFunc       func)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  op = g_new0 (OpData, 1);
  op->context = g_main_context_ref_thread_default ();
  op->func = progress;
  op->data = progress_data;
  op->destroy = progress_destroy;
  op->name = g_strdup (name);
  op->version = g_strdup (version);
  op->force = force;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tag);
  /* A cancel that comes after the swap is not honoured, so the result
   * must say what happened on disk rather than "cancelled". */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, op, (GDestroyNotify) op_data_free);
  g_task_run_in_thread (task, func);
}

void
ph_plugin_installer_install_async (PhPluginInstaller    *self,
                                   const char           *name,
                                   const char           *version,
                                   PhPluginProgressFunc  progress,
                                   gpointer              progress_data,
                                   GDestroyNotify        progress_destroy,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));
  g_return_if_fail (name != NULL);

  start_op (self, ph_plugin_installer_install_async, name, version, FALSE,
            progress, progress_data, progress_destroy, cancellable, callback, user_data,
            install_thread);
}

char *
ph_plugin_installer_install_finish (PhPluginInstaller  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ph_plugin_installer_update_async (PhPluginInstaller    *self,
                                  const char           *name,
                                  PhPluginProgressFunc  progress,
                                  gpointer              progress_data,
                                  GDestroyNotify        progress_destroy,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));
  g_return_if_fail (name != NULL);

  start_op (self, ph_plugin_installer_update_async, name, NULL, FALSE,
            progress, progress_data, progress_destroy, cancellable, callback, user_data,
            install_thread);
}

char *
ph_plugin_installer_update_finish (PhPluginInstaller  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
uninstall_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  OpData *op = task_data;
  GError *error = NULL;

  if (ph_plugin_installer_uninstall (source_object, op->name, op->force, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ph_plugin_installer_uninstall_async (PhPluginInstaller   *self,
                                     const char          *name,
                                     gboolean             force,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));
  g_return_if_fail (name != NULL);

  start_op (self, ph_plugin_installer_uninstall_async, name, NULL, force,
            NULL, NULL, NULL, cancellable, callback, user_data, uninstall_thread);
}

gboolean
ph_plugin_installer_uninstall_finish (PhPluginInstaller  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  /* Finish an interrupted operation first so the list is the truth, but
   * never wait behind a running one: the list would hang until it ends. */
  if (!ph_plugin_installer_recover_if_idle (source_object, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, ph_plugin_installer_list (source_object), (GDestroyNotify) g_ptr_array_unref);
}

void
ph_plugin_installer_list_async (PhPluginInstaller   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PH_IS_PLUGIN_INSTALLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ph_plugin_installer_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
ph_plugin_installer_list_finish (PhPluginInstaller  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
