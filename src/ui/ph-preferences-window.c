/* ph-preferences-window.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-preferences-window.h"

struct _PhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;

  AdwComboRow          *theme_row;
  AdwComboRow          *namespace_mode_row;
  AdwComboRow          *watch_strategy_row;
  AdwPreferencesGroup  *kubeconfig_group;
  GtkListBox           *kubeconfig_list;
};

G_DEFINE_FINAL_TYPE (PhPreferencesWindow, ph_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo rows list the nicks of each enum in order. */
static const char * const theme_nicks[] = { "system", "light", "dark", NULL };
static const char * const namespace_mode_nicks[] = { "context", "all", "remember", NULL };
static const char * const watch_strategy_nicks[] = { "multiplexed", "websocket", NULL };

static gboolean
nick_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_str_equal (nicks[i], nick))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
index_to_nick (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[index]);
}

static void
bind_enum_row (PhPreferencesWindow *self,
               AdwComboRow         *row,
               const char          *key,
               const char * const  *nicks)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                nick_to_index, index_to_nick, (gpointer) nicks, NULL);
}

static void
remove_kubeconfig (GtkButton           *button,
                   PhPreferencesWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "path");
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "kubeconfig-paths");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) new_paths = NULL;

  for (guint i = 0; paths[i] != NULL; i++)
    if (!g_str_equal (paths[i], path))
      g_strv_builder_add (builder, paths[i]);

  new_paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "kubeconfig-paths", (const char * const *) new_paths);
}

/* The demo clusters keep their own kubeconfig: say that these files
 * wait for a start without them. */
static void
update_kubeconfig_description (PhPreferencesWindow *self,
                               GParamSpec          *pspec,
                               PhApplication       *application)
{
  if (ph_application_get_demo_servers (application) != NULL)
    adw_preferences_group_set_description (self->kubeconfig_group,
                                           _("The demo clusters are open, so these files have no effect until Porthole is started again without them."));
  else
    adw_preferences_group_set_description (self->kubeconfig_group,
                                           _("When no file is listed here, Porthole reads the files named by the KUBECONFIG variable, else ~/.kube/config."));
}

static void
rebuild_kubeconfig_list (PhPreferencesWindow *self)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "kubeconfig-paths");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->kubeconfig_list))) != NULL)
    gtk_list_box_remove (self->kubeconfig_list, child);

  if (paths[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Standard Locations"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("KUBECONFIG, else ~/.kube/config"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->kubeconfig_list, row);
      return;
    }

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *basename = g_path_get_basename (paths[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), basename);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), paths[i]);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "path", g_strdup (paths[i]), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_kubeconfig), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->kubeconfig_list, row);
    }
}

static void
on_chooser_response (GtkNativeDialog     *chooser,
                     int                  response,
                     PhPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_auto(GStrv) paths = g_settings_get_strv (self->settings, "kubeconfig-paths");

      if (path != NULL && !g_strv_contains ((const char * const *) paths, path))
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) new_paths = NULL;

          g_strv_builder_addv (builder, (const char **) paths);
          g_strv_builder_add (builder, path);
          new_paths = g_strv_builder_end (builder);
          g_settings_set_strv (self->settings, "kubeconfig-paths", (const char * const *) new_paths);
        }
    }

  g_clear_object (&self->chooser);
}

static void
add_kubeconfig_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PhPreferencesWindow *self = PH_PREFERENCES_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Add a Kubeconfig File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
ph_preferences_window_dispose (GObject *object)
{
  PhPreferencesWindow *self = PH_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (ph_preferences_window_parent_class)->dispose (object);
}

static void
ph_preferences_window_class_init (PhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhPreferencesWindow, theme_row);
  gtk_widget_class_bind_template_child (widget_class, PhPreferencesWindow, namespace_mode_row);
  gtk_widget_class_bind_template_child (widget_class, PhPreferencesWindow, watch_strategy_row);
  gtk_widget_class_bind_template_child (widget_class, PhPreferencesWindow, kubeconfig_group);
  gtk_widget_class_bind_template_child (widget_class, PhPreferencesWindow, kubeconfig_list);

  gtk_widget_class_install_action (widget_class, "preferences.add-kubeconfig", NULL, add_kubeconfig_action);
}

static void
ph_preferences_window_init (PhPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PhPreferencesWindow *
ph_preferences_window_new (PhApplication *application)
{
  PhPreferencesWindow *self;

  g_return_val_if_fail (PH_IS_APPLICATION (application), NULL);

  self = g_object_new (PH_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (ph_application_get_settings (application));

  bind_enum_row (self, self->theme_row, "theme", theme_nicks);
  bind_enum_row (self, self->namespace_mode_row, "namespace-mode", namespace_mode_nicks);
  bind_enum_row (self, self->watch_strategy_row, "watch-strategy", watch_strategy_nicks);
  g_signal_connect_object (self->settings, "changed::kubeconfig-paths",
                           G_CALLBACK (rebuild_kubeconfig_list), self, G_CONNECT_SWAPPED);
  rebuild_kubeconfig_list (self);
  g_signal_connect_object (application, "notify::kubeconfig",
                           G_CALLBACK (update_kubeconfig_description), self, G_CONNECT_SWAPPED);
  update_kubeconfig_description (self, NULL, application);

  return self;
}
