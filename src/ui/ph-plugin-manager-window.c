/* ph-plugin-manager-window.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-plugin-error.h"
#include "ph-plugin-installer.h"
#include "ph-plugin-loader.h"
#include "ph-plugin-manager-window.h"
#include "ph-plugin-row.h"
#include "ph-semver.h"

struct _PhPluginManagerWindow
{
  AdwWindow          parent_instance;

  AdwToastOverlay   *toast_overlay;
  GtkRevealer       *restart_revealer;
  GtkListBox        *installed_list;
  GtkWidget         *installed_empty;
  GtkListBox        *catalog_list;
  GtkLabel          *catalog_status;
  GtkSearchEntry    *search_entry;
  GtkRevealer       *progress_revealer;
  GtkLabel          *progress_label;
  GtkProgressBar    *progress_bar;
  GtkButton         *cancel_button;

  PhPluginInstaller *installer;
  PhPluginLoader    *loader;          /* what the application loaded */
  GSettings         *settings;
  GCancellable      *cancellable;     /* cancelled when the window goes */
  GCancellable      *op_cancellable;  /* the running operation, or NULL */
  GPtrArray         *installed;       /* of PhInstalledPlugin */
  GPtrArray         *catalog_errors;  /* of char* */
  guint              pending_catalogs;
  gboolean           has_catalogs;
  /* The plugin an operation just changed, and whether it had a native
   * module before: announced once the folders are read again. */
  char              *changed_plugin;
  gboolean           changed_native;
};

G_DEFINE_FINAL_TYPE (PhPluginManagerWindow, ph_plugin_manager_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PLUGINS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild_installed (PhPluginManagerWindow *self);
static void rebuild_catalog (PhPluginManagerWindow *self);

static gboolean
is_gone (PhPluginManagerWindow *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void
toast (PhPluginManagerWindow *self,
       const char            *text)
{
  /* Toast titles are markup; plugin titles and errors are plain text. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static gboolean
is_disabled (PhPluginManagerWindow *self,
             const char            *name)
{
  g_auto(GStrv) disabled = NULL;

  if (self->settings == NULL)
    return FALSE;
  disabled = g_settings_get_strv (self->settings, "disabled-plugins");
  return g_strv_contains ((const char * const *) disabled, name);
}

static void
on_enabled_changed (PhPluginRow           *row,
                    GParamSpec            *pspec,
                    PhPluginManagerWindow *self)
{
  const char *name = ph_plugin_row_get_plugin_name (row);
  g_auto(GStrv) disabled = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  gboolean enable = ph_plugin_row_get_enabled (row);

  if (self->settings == NULL || enable == !is_disabled (self, name))
    return;

  disabled = g_settings_get_strv (self->settings, "disabled-plugins");
  for (guint i = 0; disabled[i] != NULL; i++)
    if (g_strcmp0 (disabled[i], name) != 0)
      g_strv_builder_add (builder, disabled[i]);
  if (!enable)
    g_strv_builder_add (builder, name);
  updated = g_strv_builder_end (builder);

  g_settings_set_strv (self->settings, "disabled-plugins", (const char * const *) updated);

  /* The application reloads views when the setting changes; native code
   * stays loaded until a restart. */
  {
    PhInstalledPlugin *plugin = self->installed ? ph_plugin_registry_find (self->installed, name) : NULL;
    const PhPluginManifest *manifest = plugin ? ph_installed_plugin_get_manifest (plugin) : NULL;

    if (manifest != NULL && manifest->module != NULL)
      gtk_revealer_set_reveal_child (self->restart_revealer, TRUE);
  }
}

static const char *
source_text (PhInstalledPlugin *plugin)
{
  switch (ph_installed_plugin_get_source (plugin))
    {
    case PH_PLUGIN_SOURCE_USER:
      return ph_installed_plugin_get_managed (plugin) ? _("Installed from a catalog") : _("Placed by hand");
    case PH_PLUGIN_SOURCE_EXTRA:
      return _("From PORTHOLE_PLUGIN_PATH");
    case PH_PLUGIN_SOURCE_SHIPPED:
    default:
      return _("Shipped with Porthole");
    }
}

static void
rebuild_installed (PhPluginManagerWindow *self)
{
  guint shown = 0;

  clear_list (self->installed_list);

  for (guint i = 0; self->installed != NULL && i < self->installed->len; i++)
    {
      PhInstalledPlugin *plugin = g_ptr_array_index (self->installed, i);
      const char *name = ph_installed_plugin_get_name (plugin);
      const char *version = ph_installed_plugin_get_version (plugin);
      const char *error = ph_installed_plugin_get_error (plugin);
      const PhPluginManifest *manifest = ph_installed_plugin_get_manifest (plugin);
      gboolean removable = ph_installed_plugin_get_source (plugin) == PH_PLUGIN_SOURCE_USER &&
                           ph_installed_plugin_get_managed (plugin);
      PhPluginRow *row = PH_PLUGIN_ROW (ph_plugin_row_new (name));
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ph_installed_plugin_get_title (plugin));

      if (error == NULL && self->loader != NULL &&
          ph_plugin_loader_get_state (self->loader, name, &error) != PH_PLUGIN_STATE_FAILED)
        error = NULL;
      /* The loader only knows the plugins that were there when it ran. */
      if (error != NULL && g_str_equal (error, "not found"))
        error = NULL;

      if (error != NULL)
        subtitle = g_strdup_printf (_("Cannot be loaded: %s"), error);
      else if (manifest != NULL &&
               !ph_plugin_manifest_is_compatible (manifest, ph_plugin_installer_get_porthole_version (self->installer)))
        subtitle = g_strdup_printf (_("%s · needs Porthole “%s”; this is Porthole %s"), version,
                                    manifest->version_compat, ph_plugin_installer_get_porthole_version (self->installer));
      else
        subtitle = g_strdup_printf ("%s · %s%s", version, source_text (plugin),
                                    manifest && manifest->module ? _(" · native module") : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      if (removable && version != NULL)
        {
          const PhCatalogVersion *update = ph_plugin_installer_find_update (self->installer, name, version, NULL);

          ph_plugin_row_set_update_version (row, update ? update->version : NULL);
        }
      ph_plugin_row_set_removable (row, removable);
      /* Without the schema there is nowhere to keep the choice. */
      ph_plugin_row_set_show_switch (row, self->settings != NULL);
      ph_plugin_row_set_enabled (row, !is_disabled (self, name));
      g_signal_connect_object (row, "notify::enabled", G_CALLBACK (on_enabled_changed), self, 0);

      gtk_list_box_append (self->installed_list, GTK_WIDGET (row));
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->installed_list), shown > 0);
  gtk_widget_set_visible (self->installed_empty, shown == 0);
}

static PhInstalledPlugin *
find_installed (PhPluginManagerWindow *self,
                const char            *name)
{
  if (self->installed == NULL)
    return NULL;
  return ph_plugin_registry_find (self->installed, name);
}

static void
rebuild_catalog (PhPluginManagerWindow *self)
{
  const char *term = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *porthole = ph_plugin_installer_get_porthole_version (self->installer);
  g_autoptr(GPtrArray) found = ph_plugin_installer_search (self->installer, term);
  g_autoptr(GString) status = g_string_new (NULL);

  clear_list (self->catalog_list);

  for (guint i = 0; i < found->len; i++)
    {
      PhCatalogPlugin *plugin = g_ptr_array_index (found, i);
      const char *name = ph_catalog_plugin_get_name (plugin);
      const PhCatalogVersion *best = ph_catalog_plugin_find_compatible (plugin, porthole);
      PhInstalledPlugin *installed = find_installed (self, name);
      PhPluginRow *row = PH_PLUGIN_ROW (ph_plugin_row_new (name));
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ph_catalog_plugin_get_title (plugin));

      if (best == NULL && ph_catalog_plugin_get_n_versions (plugin) > 0)
        {
          const PhCatalogVersion *newest = ph_catalog_plugin_get_version (plugin, 0);

          /* Say why in words rather than hide it. */
          subtitle = g_strdup_printf (_("%s\nNot available for this Porthole: version %s needs Porthole “%s”, this is Porthole %s"),
                                      ph_catalog_plugin_get_description (plugin),
                                      newest->version, newest->version_compat, porthole);
        }
      else if (best != NULL)
        subtitle = g_strdup_printf (_("%s\nVersion %s"), ph_catalog_plugin_get_description (plugin), best->version);
      else
        subtitle = g_strdup (ph_catalog_plugin_get_description (plugin));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      if (installed != NULL)
        ph_plugin_row_set_installed_version (row, ph_installed_plugin_get_version (installed) ?: "?");
      else
        {
          g_autoptr(GStrvBuilder) others = g_strv_builder_new ();
          g_auto(GStrv) versions = NULL;

          ph_plugin_row_set_installable (row, best != NULL);
          for (guint j = 0; best != NULL && j < ph_catalog_plugin_get_n_versions (plugin); j++)
            {
              const PhCatalogVersion *v = ph_catalog_plugin_get_version (plugin, j);

              if (v != best && ph_semver_satisfies (porthole, v->version_compat, FALSE))
                g_strv_builder_add (others, v->version);
            }
          versions = g_strv_builder_end (others);
          ph_plugin_row_set_other_versions (row, (const char * const *) versions);
        }

      gtk_list_box_append (self->catalog_list, GTK_WIDGET (row));
    }

  for (guint i = 0; i < self->catalog_errors->len; i++)
    {
      if (status->len > 0)
        g_string_append_c (status, '\n');
      g_string_append_printf (status, _("Cannot read a catalog: %s"),
                              (char *) g_ptr_array_index (self->catalog_errors, i));
    }
  if (found->len == 0 && status->len == 0)
    {
      if (!self->has_catalogs)
        g_string_append (status, _("No plugin catalog is configured"));
      else if (self->pending_catalogs > 0)
        g_string_append (status, _("Loading catalogs…"));
      else
        g_string_append (status, _("No plugins found"));
    }

  gtk_label_set_text (self->catalog_status, status->str);
  gtk_widget_set_visible (GTK_WIDGET (self->catalog_status), status->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->catalog_list), found->len > 0);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PhPluginManagerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plugins = ph_plugin_installer_list_finish (PH_PLUGIN_INSTALLER (source), result, &error);

  if (is_gone (self))
    return;

  if (plugins == NULL)
    {
      toast (self, error->message);
      return;
    }

  if (self->changed_plugin != NULL)
    {
      PhInstalledPlugin *now = ph_plugin_registry_find (plugins, self->changed_plugin);
      const PhPluginManifest *manifest = now ? ph_installed_plugin_get_manifest (now) : NULL;
      gboolean native = self->changed_native || (manifest != NULL && manifest->module != NULL);

      g_clear_pointer (&self->changed_plugin, g_free);
      if (native)
        gtk_revealer_set_reveal_child (self->restart_revealer, TRUE);
      g_signal_emit (self, signals[PLUGINS_CHANGED], 0, native);
    }

  g_clear_pointer (&self->installed, g_ptr_array_unref);
  self->installed = g_steal_pointer (&plugins);
  rebuild_installed (self);
  rebuild_catalog (self);
}

static void
refresh_installed (PhPluginManagerWindow *self)
{
  ph_plugin_installer_list_async (self->installer, self->cancellable, on_listed, g_object_ref (self));
}

static void
on_catalog_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhPluginManagerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhPluginCatalog) catalog = ph_plugin_catalog_load_finish (result, &error);

  if (is_gone (self))
    return;

  self->pending_catalogs--;
  if (catalog == NULL)
    g_ptr_array_add (self->catalog_errors, g_strdup (error->message));
  else
    ph_plugin_installer_add_catalog (self->installer, catalog);

  rebuild_catalog (self);
  rebuild_installed (self);
}

void
ph_plugin_manager_window_add_catalog (PhPluginManagerWindow *self,
                                      const char            *location)
{
  g_return_if_fail (PH_IS_PLUGIN_MANAGER_WINDOW (self));
  g_return_if_fail (location != NULL);

  self->has_catalogs = TRUE;
  self->pending_catalogs++;
  ph_plugin_catalog_load_async (location, self->cancellable, on_catalog_loaded, g_object_ref (self));
  rebuild_catalog (self);
}

gboolean
ph_plugin_manager_window_get_busy (PhPluginManagerWindow *self)
{
  g_return_val_if_fail (PH_IS_PLUGIN_MANAGER_WINDOW (self), FALSE);
  return self->op_cancellable != NULL;
}

/* Operations */

static const char *
phase_text (PhPluginPhase phase)
{
  switch (phase)
    {
    case PH_PLUGIN_PHASE_WAITING: return _("Waiting for another plugin operation…");
    case PH_PLUGIN_PHASE_RESOLVING: return _("Checking compatibility…");
    case PH_PLUGIN_PHASE_DOWNLOADING: return _("Downloading…");
    case PH_PLUGIN_PHASE_VERIFYING: return _("Verifying the checksum…");
    case PH_PLUGIN_PHASE_EXTRACTING: return _("Extracting…");
    case PH_PLUGIN_PHASE_CHECKING: return _("Checking the plugin…");
    case PH_PLUGIN_PHASE_SWAPPING: return _("Putting the plugin in place…");
    case PH_PLUGIN_PHASE_CLEANING:
    default:
      return _("Cleaning up…");
    }
}

static void
on_progress (PhPluginPhase phase,
             guint64       done,
             guint64       total,
             gpointer      user_data)
{
  PhPluginManagerWindow *self = user_data;

  if (is_gone (self))
    return;

  gtk_label_set_text (self->progress_label, phase_text (phase));
  if (phase == PH_PLUGIN_PHASE_DOWNLOADING && total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);

  /* The swap is one atomic step: a cancel there would only confuse. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), phase < PH_PLUGIN_PHASE_SWAPPING);
}

static void
begin_op (PhPluginManagerWindow *self,
          const char            *text)
{
  g_assert (self->op_cancellable == NULL);

  self->op_cancellable = g_cancellable_new ();
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plugin.install", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plugin.update", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plugin.uninstall", FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end_op (PhPluginManagerWindow *self,
        const char            *name,
        const char            *heading,
        const char            *success,
        GError                *error)
{
  g_clear_object (&self->op_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plugin.install", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plugin.update", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "plugin.uninstall", TRUE);

  if (error == NULL)
    {
      PhInstalledPlugin *before = find_installed (self, name);
      const PhPluginManifest *manifest = before ? ph_installed_plugin_get_manifest (before) : NULL;

      toast (self, success);
      /* Whether a restart is needed is known once the folder is read
       * again (an update may add or drop a native module). */
      g_free (self->changed_plugin);
      self->changed_plugin = g_strdup (name);
      self->changed_native = manifest != NULL && manifest->module != NULL;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Cancelled; nothing was changed"));
  else if (g_error_matches (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UP_TO_DATE))
    toast (self, _("Already up to date"));
  else
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  refresh_installed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

typedef struct {
  PhPluginManagerWindow *self;
  char                  *name;
  /* What people read: the plugin's title, not its id. */
  char                  *title;
} OpContext;

static void
op_context_free (OpContext *ctx)
{
  g_object_unref (ctx->self);
  g_free (ctx->name);
  g_free (ctx->title);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpContext, op_context_free)

/* The installed copy's title, else the catalog's, else the id. */
static const char *
plugin_title (PhPluginManagerWindow *self,
              const char            *name)
{
  PhInstalledPlugin *installed = find_installed (self, name);
  PhCatalogPlugin *listed;
  const char *title = NULL;

  if (installed != NULL)
    title = ph_installed_plugin_get_title (installed);
  if ((title == NULL || *title == '\0') &&
      (listed = ph_plugin_installer_lookup (self->installer, name)) != NULL)
    title = ph_catalog_plugin_get_title (listed);

  return title != NULL && *title != '\0' ? title : name;
}

static OpContext *
op_context_new (PhPluginManagerWindow *self,
                const char            *name)
{
  OpContext *ctx = g_new0 (OpContext, 1);

  ctx->self = g_object_ref (self);
  ctx->name = g_strdup (name);
  ctx->title = g_strdup (plugin_title (self, name));
  return ctx;
}

static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OpContext) ctx = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = ph_plugin_installer_install_finish (PH_PLUGIN_INSTALLER (source), result, &error);
  g_autofree char *heading = NULL;
  g_autofree char *success = NULL;

  if (is_gone (ctx->self))
    return;

  heading = g_strdup_printf (_("Could not install %s"), ctx->title);
  success = g_strdup_printf (_("Installed %s %s"), ctx->title, version ? version : "");
  end_op (ctx->self, ctx->name, heading, success, error);
}

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpContext) ctx = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = ph_plugin_installer_update_finish (PH_PLUGIN_INSTALLER (source), result, &error);
  g_autofree char *heading = NULL;
  g_autofree char *success = NULL;

  if (is_gone (ctx->self))
    return;

  heading = g_strdup_printf (_("Could not update %s"), ctx->title);
  success = g_strdup_printf (_("Updated %s to %s"), ctx->title, version ? version : "");
  end_op (ctx->self, ctx->name, heading, success, error);
}

static void
on_uninstalled (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OpContext) ctx = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *success = NULL;

  ph_plugin_installer_uninstall_finish (PH_PLUGIN_INSTALLER (source), result, &error);
  if (is_gone (ctx->self))
    return;

  heading = g_strdup_printf (_("Could not uninstall %s"), ctx->title);
  success = g_strdup_printf (_("Uninstalled %s"), ctx->title);
  end_op (ctx->self, ctx->name, heading, success, error);
}

static void
plugin_install_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PhPluginManagerWindow *self = PH_PLUGIN_MANAGER_WINDOW (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  const char *at = strchr (target, '@');
  g_autofree char *name = at != NULL ? g_strndup (target, at - target) : g_strdup (target);
  const char *version = at != NULL ? at + 1 : NULL;
  g_autofree char *text = version != NULL ? g_strdup_printf (_("Installing %s %s…"), plugin_title (self, name), version)
                                          : g_strdup_printf (_("Installing %s…"), plugin_title (self, name));

  if (self->op_cancellable != NULL)
    return;

  begin_op (self, text);
  ph_plugin_installer_install_async (self->installer, name, version,
                                     on_progress, g_object_ref (self), g_object_unref,
                                     self->op_cancellable, on_installed, op_context_new (self, name));
}

static void
plugin_update_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PhPluginManagerWindow *self = PH_PLUGIN_MANAGER_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *text = g_strdup_printf (_("Updating %s…"), plugin_title (self, name));

  if (self->op_cancellable != NULL)
    return;

  begin_op (self, text);
  ph_plugin_installer_update_async (self->installer, name,
                                    on_progress, g_object_ref (self), g_object_unref,
                                    self->op_cancellable, on_updated, op_context_new (self, name));
}

static void
plugin_uninstall_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PhPluginManagerWindow *self = PH_PLUGIN_MANAGER_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *text = g_strdup_printf (_("Uninstalling %s…"), plugin_title (self, name));

  if (self->op_cancellable != NULL)
    return;

  begin_op (self, text);
  ph_plugin_installer_uninstall_async (self->installer, name, FALSE,
                                       self->op_cancellable, on_uninstalled, op_context_new (self, name));
}

static void
on_cancel_clicked (PhPluginManagerWindow *self)
{
  if (self->op_cancellable != NULL)
    g_cancellable_cancel (self->op_cancellable);
}

static void
on_search_changed (PhPluginManagerWindow *self)
{
  rebuild_catalog (self);
}

static void
ph_plugin_manager_window_dispose (GObject *object)
{
  PhPluginManagerWindow *self = (PhPluginManagerWindow *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->op_cancellable != NULL)
    g_cancellable_cancel (self->op_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PH_TYPE_PLUGIN_MANAGER_WINDOW);

  g_clear_object (&self->op_cancellable);
  g_clear_object (&self->installer);
  g_clear_object (&self->loader);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->installed, g_ptr_array_unref);

  G_OBJECT_CLASS (ph_plugin_manager_window_parent_class)->dispose (object);
}

static void
ph_plugin_manager_window_finalize (GObject *object)
{
  PhPluginManagerWindow *self = (PhPluginManagerWindow *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->catalog_errors, g_ptr_array_unref);
  g_free (self->changed_plugin);

  G_OBJECT_CLASS (ph_plugin_manager_window_parent_class)->finalize (object);
}

static void
ph_plugin_manager_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PhPluginManagerWindow *self = PH_PLUGIN_MANAGER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, ph_plugin_manager_window_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_plugin_manager_window_class_init (PhPluginManagerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_plugin_manager_window_dispose;
  object_class->finalize = ph_plugin_manager_window_finalize;
  object_class->get_property = ph_plugin_manager_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After an install, update or uninstall: @native says a native module
   * was involved, which only a restart applies. */
  signals[PLUGINS_CHANGED] =
    g_signal_new ("plugins-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/ph-plugin-manager-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, restart_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, installed_list);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, installed_empty);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, catalog_list);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, catalog_status);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhPluginManagerWindow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "plugin.install", "s", plugin_install_action);
  gtk_widget_class_install_action (widget_class, "plugin.update", "s", plugin_update_action);
  gtk_widget_class_install_action (widget_class, "plugin.uninstall", "s", plugin_uninstall_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ph_plugin_manager_window_init (PhPluginManagerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->catalog_errors = g_ptr_array_new_with_free_func (g_free);
}

static GSettings *
open_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

GtkWidget *
ph_plugin_manager_window_new_for_dir (GtkWindow  *parent,
                                      const char *directory)
{
  PhPluginManagerWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (PH_TYPE_PLUGIN_MANAGER_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->installer = ph_plugin_installer_new (directory);
  self->settings = open_settings ();

  if (self->settings != NULL)
    {
      g_auto(GStrv) catalogs = g_settings_get_strv (self->settings, "plugin-catalogs");

      for (guint i = 0; catalogs[i] != NULL; i++)
        ph_plugin_manager_window_add_catalog (self, catalogs[i]);
    }

  refresh_installed (self);
  rebuild_catalog (self);

  return GTK_WIDGET (self);
}

GtkWidget *
ph_plugin_manager_window_new (GtkWindow *parent)
{
  g_autofree char *directory = ph_plugin_user_dir ();

  return ph_plugin_manager_window_new_for_dir (parent, directory);
}

void
ph_plugin_manager_window_set_loader (PhPluginManagerWindow *self,
                                     PhPluginLoader        *loader)
{
  g_return_if_fail (PH_IS_PLUGIN_MANAGER_WINDOW (self));
  g_return_if_fail (loader == NULL || PH_IS_PLUGIN_LOADER (loader));

  g_set_object (&self->loader, loader);
  rebuild_installed (self);
}
