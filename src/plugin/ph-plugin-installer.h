/* ph-plugin-installer.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ph-plugin-catalog.h"
#include "ph-plugin-registry.h"

G_BEGIN_DECLS

typedef enum {
  PH_PLUGIN_PHASE_WAITING,      /* for another operation on the same folder */
  PH_PLUGIN_PHASE_RESOLVING,
  PH_PLUGIN_PHASE_DOWNLOADING,  /* done/total in bytes; total 0 when unknown */
  PH_PLUGIN_PHASE_VERIFYING,
  PH_PLUGIN_PHASE_EXTRACTING,   /* done in bytes written */
  PH_PLUGIN_PHASE_CHECKING,
  PH_PLUGIN_PHASE_SWAPPING,
  PH_PLUGIN_PHASE_CLEANING,
} PhPluginPhase;

typedef void (*PhPluginProgressFunc) (PhPluginPhase phase,
                                      guint64       done,
                                      guint64       total,
                                      gpointer      user_data);

const char *ph_plugin_phase_to_string (PhPluginPhase phase);

#define PH_TYPE_PLUGIN_INSTALLER (ph_plugin_installer_get_type ())
G_DECLARE_FINAL_TYPE (PhPluginInstaller, ph_plugin_installer, PH, PLUGIN_INSTALLER, GObject)

PhPluginInstaller *ph_plugin_installer_new                (const char            *directory);
const char        *ph_plugin_installer_get_directory      (PhPluginInstaller     *self);
const char        *ph_plugin_installer_get_porthole_version (PhPluginInstaller   *self);
void               ph_plugin_installer_set_porthole_version (PhPluginInstaller   *self,
                                                           const char            *version);
void               ph_plugin_installer_set_limits         (PhPluginInstaller     *self,
                                                           guint64                max_download,
                                                           guint                  max_entries,
                                                           guint64                max_extracted);
void               ph_plugin_installer_add_catalog        (PhPluginInstaller     *self,
                                                           PhPluginCatalog       *catalog);
GPtrArray         *ph_plugin_installer_get_catalogs       (PhPluginInstaller     *self);

/* Plugins of all catalogs matching @term; a name appears once (the first
 * catalog that lists it wins). */
GPtrArray         *ph_plugin_installer_search             (PhPluginInstaller     *self,
                                                           const char            *term);
PhCatalogPlugin   *ph_plugin_installer_lookup             (PhPluginInstaller     *self,
                                                           const char            *name);
/* The newest version of @name that this Porthole can run and that is newer
 * than @installed_version (or any, when NULL); NULL when none. */
const PhCatalogVersion *ph_plugin_installer_find_update   (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           const char            *installed_version,
                                                           PhCatalogPlugin      **plugin);

/* Blocking operations, for worker threads and the command line.  Each
 * takes the folder's lock, recovers from an interrupted operation first,
 * and leaves the folder unchanged when it fails or is cancelled. */
gboolean           ph_plugin_installer_recover            (PhPluginInstaller     *self,
                                                           GCancellable          *cancellable,
                                                           GError               **error);
/* For start-up: the same recovery, but it neither waits nor creates the
 * folder.  When another process holds the lock it is mid-operation and
 * recovers by itself, so there is nothing to do. */
gboolean           ph_plugin_installer_recover_if_idle    (PhPluginInstaller     *self,
                                                           GError               **error);
char              *ph_plugin_installer_install            (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           const char            *version,
                                                           gboolean               force,
                                                           PhPluginProgressFunc   progress,
                                                           gpointer               progress_data,
                                                           GCancellable          *cancellable,
                                                           GError               **error);
char              *ph_plugin_installer_update             (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           PhPluginProgressFunc   progress,
                                                           gpointer               progress_data,
                                                           GCancellable          *cancellable,
                                                           GError               **error);
gboolean           ph_plugin_installer_uninstall          (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           gboolean               force,
                                                           GCancellable          *cancellable,
                                                           GError               **error);
GPtrArray         *ph_plugin_installer_list               (PhPluginInstaller     *self);

/* The same as GTask operations; @progress runs in the thread-default main
 * context of the caller. */
void               ph_plugin_installer_install_async      (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           const char            *version,
                                                           PhPluginProgressFunc   progress,
                                                           gpointer               progress_data,
                                                           GDestroyNotify         progress_destroy,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
char              *ph_plugin_installer_install_finish     (PhPluginInstaller     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
void               ph_plugin_installer_update_async       (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           PhPluginProgressFunc   progress,
                                                           gpointer               progress_data,
                                                           GDestroyNotify         progress_destroy,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
char              *ph_plugin_installer_update_finish      (PhPluginInstaller     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
void               ph_plugin_installer_uninstall_async    (PhPluginInstaller     *self,
                                                           const char            *name,
                                                           gboolean               force,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
gboolean           ph_plugin_installer_uninstall_finish   (PhPluginInstaller     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
void               ph_plugin_installer_list_async         (PhPluginInstaller     *self,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
GPtrArray         *ph_plugin_installer_list_finish        (PhPluginInstaller     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);

G_END_DECLS
