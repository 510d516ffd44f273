/* ph-application.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ph-about.h"
#include "ph-application.h"
#include "ph-kubeconfig.h"
#include "ph-plugin-loader.h"
#include "ph-plugin-manager-window.h"
#include "ph-preferences-window.h"
#include "ph-sim-server.h"
#include "ph-watch-hub.h"
#include "ph-window.h"

struct _PhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  PhWatchHub     *hub;
  PhKubeconfig   *kubeconfig;
  GError         *kubeconfig_error;
  GPtrArray      *demo_servers;
  PhFrameProbe   *frame_probe;
  char           *profile_path;
  PhPluginLoader *plugin_loader;
  char           *demo_catalog;
  guint           reload_plugins_id;
  gboolean        all_namespaces;
};

G_DEFINE_FINAL_TYPE (PhApplication, ph_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_HUB,
  PROP_KUBECONFIG,
  PROP_PLUGIN_LOADER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "all-namespaces", 'A', 0, G_OPTION_ARG_NONE, NULL, N_("Show all namespaces"), NULL },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start simulated demo clusters and show them"), NULL },
  { "kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use this kubeconfig file"), N_("FILE") },
  { "new-window", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open a new window"), NULL },
  { "profile-frames", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Record frame times into FILE on exit"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
  { NULL }
};

static void
apply_theme (PhApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  AdwColorScheme scheme;

  switch (g_settings_get_enum (self->settings, "theme"))
    {
    case 1:
      scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
      break;
    case 2:
      scheme = ADW_COLOR_SCHEME_FORCE_DARK;
      break;
    default:
      scheme = ADW_COLOR_SCHEME_DEFAULT;
      break;
    }

  adw_style_manager_set_color_scheme (style_manager, scheme);
}

static void
on_theme_changed (GSettings     *settings,
                  const char    *key,
                  PhApplication *self)
{
  apply_theme (self);
}

static void
on_watch_strategy_changed (GSettings     *settings,
                           const char    *key,
                           PhApplication *self)
{
  PhWatchStrategy strategy = g_settings_get_enum (self->settings, "watch-strategy");

  if (self->hub != NULL && ph_watch_hub_get_strategy (self->hub) == strategy)
    return;

  /* Views hold their caches from the old hub until they re-target on the
   * notification below, so the switch never shows an empty list. */
  g_clear_object (&self->hub);
  self->hub = ph_watch_hub_new (strategy);
  /* Going back to a cluster or kind just left finds it live, not relisting. */
  g_object_set (self->hub, "inline-scan", FALSE, "linger-seconds", 30, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HUB]);
}

static void
on_kubeconfig_paths_changed (GSettings     *settings,
                             const char    *key,
                             PhApplication *self)
{
  /* The demo keeps its own kubeconfig whatever the preferences say. */
  if (self->demo_servers == NULL)
    ph_application_load_kubeconfig (self, NULL);
}

static int
ph_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PhApplication *self = PH_APPLICATION (app);
  const char *profile = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("porthole %s (%s)\n", PACKAGE_VERSION, PORTHOLE_GIT_ID);
      return 0;
    }

  /* Frame times belong to the process that draws, so the probe is set up
   * here and not forwarded to a running instance. */
  if (g_variant_dict_lookup (options, "profile-frames", "^&ay", &profile))
    self->profile_path = g_strdup (profile);
  else if (g_getenv ("PORTHOLE_PROFILE_FRAMES") != NULL && *g_getenv ("PORTHOLE_PROFILE_FRAMES") != '\0')
    self->profile_path = g_strdup (g_getenv ("PORTHOLE_PROFILE_FRAMES"));

  return -1;
}

static PhWindow *
new_window (PhApplication *self)
{
  PhWindow *window = ph_window_new (self);

  if (self->frame_probe != NULL)
    {
      ph_frame_probe_mark (self->frame_probe, "window");
      ph_frame_probe_attach (self->frame_probe, GTK_WIDGET (window));
    }

  return window;
}

static void
ph_application_activate (GApplication *app)
{
  PhApplication *self = PH_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));

  gtk_window_present (window);
}

static int
ph_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  PhApplication *self = PH_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *kubeconfig = NULL;
  GtkWindow *window;

  if (g_variant_dict_contains (options, "all-namespaces"))
    self->all_namespaces = TRUE;

  if (g_variant_dict_contains (options, "demo"))
    {
      g_autoptr(GError) error = NULL;

      if (!ph_application_open_demo (self, &error))
        {
          g_application_command_line_printerr (command_line, "%s\n", error->message);
          return 1;
        }
    }
  else if (g_variant_dict_lookup (options, "kubeconfig", "^&ay", &kubeconfig))
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, kubeconfig);
      g_autofree char *path = g_file_get_path (file);
      const char *paths[] = { path, NULL };

      ph_application_load_kubeconfig (self, paths);
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL || g_variant_dict_contains (options, "new-window"))
    window = GTK_WINDOW (new_window (self));

  gtk_window_present (window);

  return 0;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (PH_APPLICATION (user_data))));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  PhApplication *self = PH_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PhPreferencesWindow *preferences = ph_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  ph_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static void
on_plugins_changed (PhPluginManagerWindow *manager,
                    gboolean               native,
                    PhApplication         *self)
{
  /* Views and fields come back from the folders now; native code stays
   * as it was loaded until a restart, which the manager says. */
  ph_application_reload_plugins (self);
}

static void
on_plugin_loader_changed (PhApplication         *self,
                          GParamSpec            *pspec,
                          PhPluginManagerWindow *manager)
{
  ph_plugin_manager_window_set_loader (manager, self->plugin_loader);
}

static gboolean
reload_plugins_idle (gpointer user_data)
{
  PhApplication *self = user_data;

  self->reload_plugins_id = 0;
  ph_application_reload_plugins (self);

  return G_SOURCE_REMOVE;
}

static void
on_disabled_plugins_changed (GSettings     *settings,
                             const char    *key,
                             PhApplication *self)
{
  /* Switches flip several at a time, and from inside their own
   * handlers: reload once, afterwards. */
  if (self->reload_plugins_id == 0)
    self->reload_plugins_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_plugins_idle, self, NULL);
}

static void
plugins_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  PhApplication *self = PH_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *manager = ph_plugin_manager_window_new (parent);

  ph_plugin_manager_window_set_loader (PH_PLUGIN_MANAGER_WINDOW (manager), self->plugin_loader);
  if (self->demo_catalog != NULL)
    ph_plugin_manager_window_add_catalog (PH_PLUGIN_MANAGER_WINDOW (manager), self->demo_catalog);
  g_signal_connect_object (manager, "plugins-changed", G_CALLBACK (on_plugins_changed), self, 0);
  g_signal_connect_object (self, "notify::plugin-loader", G_CALLBACK (on_plugin_loader_changed), manager, 0);

  gtk_window_present (GTK_WINDOW (manager));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "plugins", plugins_action },
};

static gboolean
on_unix_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
ph_application_startup (GApplication *app)
{
  PhApplication *self = PH_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (ph_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::theme", G_CALLBACK (on_theme_changed), self, 0);
  g_signal_connect_object (self->settings, "changed::watch-strategy", G_CALLBACK (on_watch_strategy_changed), self, 0);
  g_signal_connect_object (self->settings, "changed::kubeconfig-paths", G_CALLBACK (on_kubeconfig_paths_changed), self, 0);
  g_signal_connect_object (self->settings, "changed::disabled-plugins", G_CALLBACK (on_disabled_plugins_changed), self, 0);
  apply_theme (self);
  on_watch_strategy_changed (self->settings, NULL, self);

  if (self->profile_path != NULL)
    {
      self->frame_probe = ph_frame_probe_new (self->profile_path);
      ph_frame_probe_mark (self->frame_probe, "startup");
    }

  /* Quitting on SIGTERM/SIGINT runs shutdown, which writes the frame
   * profile and stops the demo servers. */
  g_unix_signal_add (SIGTERM, on_unix_signal, app);
  g_unix_signal_add (SIGINT, on_unix_signal, app);

  ph_application_load_kubeconfig (self, NULL);
  ph_application_reload_plugins (self);
}

static void
stop_demo_servers (PhApplication *self)
{
  if (self->demo_servers == NULL)
    return;

  for (guint i = 0; i < self->demo_servers->len; i++)
    ph_sim_server_stop (g_ptr_array_index (self->demo_servers, i));
  g_clear_pointer (&self->demo_servers, g_ptr_array_unref);
}

static void
ph_application_shutdown (GApplication *app)
{
  PhApplication *self = PH_APPLICATION (app);

  if (self->frame_probe != NULL)
    {
      g_autoptr(GError) error = NULL;

      ph_frame_probe_mark (self->frame_probe, "shutdown");
      if (!ph_frame_probe_write (self->frame_probe, &error))
        g_printerr ("porthole: %s\n", error->message);
    }

  G_APPLICATION_CLASS (ph_application_parent_class)->shutdown (app);

  stop_demo_servers (self);
}

static void
ph_application_dispose (GObject *object)
{
  PhApplication *self = PH_APPLICATION (object);

  stop_demo_servers (self);
  g_clear_handle_id (&self->reload_plugins_id, g_source_remove);
  g_clear_object (&self->hub);
  g_clear_object (&self->settings);
  g_clear_object (&self->frame_probe);
  g_clear_object (&self->kubeconfig);
  g_clear_object (&self->plugin_loader);

  G_OBJECT_CLASS (ph_application_parent_class)->dispose (object);
}

static void
ph_application_finalize (GObject *object)
{
  PhApplication *self = PH_APPLICATION (object);

  g_clear_error (&self->kubeconfig_error);
  g_free (self->profile_path);
  g_free (self->demo_catalog);

  G_OBJECT_CLASS (ph_application_parent_class)->finalize (object);
}

static void
ph_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PhApplication *self = PH_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_HUB:
      g_value_set_object (value, self->hub);
      break;

    case PROP_KUBECONFIG:
      g_value_set_object (value, self->kubeconfig);
      break;

    case PROP_PLUGIN_LOADER:
      g_value_set_object (value, self->plugin_loader);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_application_class_init (PhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ph_application_dispose;
  object_class->finalize = ph_application_finalize;
  object_class->get_property = ph_application_get_property;

  app_class->handle_local_options = ph_application_handle_local_options;
  app_class->command_line = ph_application_command_line;
  app_class->startup = ph_application_startup;
  app_class->shutdown = ph_application_shutdown;
  app_class->activate = ph_application_activate;

  properties[PROP_HUB] =
    g_param_spec_object ("hub", NULL, NULL,
                         PH_TYPE_WATCH_HUB,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KUBECONFIG] =
    g_param_spec_object ("kubeconfig", NULL, NULL,
                        PH_TYPE_KUBECONFIG,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLUGIN_LOADER] =
    g_param_spec_object ("plugin-loader", NULL, NULL,
                         PH_TYPE_PLUGIN_LOADER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_application_init (PhApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A native desktop dashboard for Kubernetes."));
}

PhApplication *
ph_application_new (void)
{
  return g_object_new (PH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

GSettings *
ph_application_get_settings (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->settings;
}

PhWatchHub *
ph_application_get_hub (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->hub;
}

PhKubeconfig *
ph_application_get_kubeconfig (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->kubeconfig;
}

const GError *
ph_application_get_kubeconfig_error (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->kubeconfig_error;
}

GPtrArray *
ph_application_get_demo_servers (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->demo_servers;
}

gboolean
ph_application_get_all_namespaces (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), FALSE);

  return self->all_namespaces;
}

PhFrameProbe *
ph_application_get_frame_probe (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->frame_probe;
}

static char *
demo_kubeconfig_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "porthole", "demo", "kubeconfig", NULL);
}

/* The installed catalog first; a build tree's when running uninstalled. */
static char *
find_demo_catalog (void)
{
  const char *override = g_getenv ("PORTHOLE_DEMO_CATALOG");
  const char *candidates[] = {
    PKGDATADIR "/demo-catalog/index.json",
    PORTHOLE_BUILD_DEMO_CATALOG,
  };

  if (override != NULL && *override != '\0')
    return g_strdup (override);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (candidates[i]);

  g_debug ("No demo plugin catalog in %s or %s", candidates[0], candidates[1]);
  return NULL;
}

gboolean
ph_application_open_demo (PhApplication  *self,
                          GError        **error)
{
  g_autofree char *path = demo_kubeconfig_path ();
  const char *paths[] = { path, NULL };

  g_return_val_if_fail (PH_IS_APPLICATION (self), FALSE);

  /* Once per process: the servers run until the application ends, and a
   * second window opens on the same clusters. */
  if (self->demo_servers == NULL)
    {
      self->demo_servers = ph_sim_start_demo_clusters (path, error);
      if (self->demo_servers == NULL)
        return FALSE;
    }

  if (self->demo_catalog == NULL)
    self->demo_catalog = find_demo_catalog ();

  ph_application_load_kubeconfig (self, paths);

  return TRUE;
}

void
ph_application_load_kubeconfig (PhApplication      *self,
                                const char * const *paths)
{
  g_auto(GStrv) setting_paths = NULL;
  g_autoptr(PhKubeconfig) kubeconfig = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PH_IS_APPLICATION (self));

  if (paths == NULL)
    {
      setting_paths = g_settings_get_strv (self->settings, "kubeconfig-paths");
      if (setting_paths[0] != NULL)
        paths = (const char * const *) setting_paths;
    }

  if (paths != NULL)
    kubeconfig = ph_kubeconfig_load_files (paths, &error);
  else
    kubeconfig = ph_kubeconfig_load (NULL, &error);

  g_clear_error (&self->kubeconfig_error);
  self->kubeconfig_error = g_steal_pointer (&error);

  g_clear_object (&self->kubeconfig);
  self->kubeconfig = g_steal_pointer (&kubeconfig);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KUBECONFIG]);
}

PhPluginLoader *
ph_application_get_plugin_loader (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->plugin_loader;
}

const char *
ph_application_get_demo_catalog (PhApplication *self)
{
  g_return_val_if_fail (PH_IS_APPLICATION (self), NULL);

  return self->demo_catalog;
}

void
ph_application_reload_plugins (PhApplication *self)
{
  g_autoptr(PhPluginLoader) loader = NULL;
  g_auto(GStrv) disabled = NULL;

  g_return_if_fail (PH_IS_APPLICATION (self));

  /* A fresh loader reads the folders as they are now.  Loading never
   * fails as a whole: every plugin's own failure is recorded in it for
   * the plugin manager, and the others load. */
  loader = ph_plugin_loader_new (NULL);
  disabled = g_settings_get_strv (self->settings, "disabled-plugins");
  ph_plugin_loader_set_disabled (loader, (const char * const *) disabled);
  ph_plugin_loader_load (loader);

  for (guint i = 0; i < ph_plugin_loader_get_plugins (loader)->len; i++)
    {
      PhInstalledPlugin *plugin = g_ptr_array_index (ph_plugin_loader_get_plugins (loader), i);
      const char *message = NULL;

      if (ph_plugin_loader_get_state (loader, ph_installed_plugin_get_name (plugin), &message) == PH_PLUGIN_STATE_FAILED)
        g_message ("Plugin %s (%s) not loaded: %s", ph_installed_plugin_get_name (plugin),
                   ph_installed_plugin_get_path (plugin), message);
    }

  g_set_object (&self->plugin_loader, loader);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLUGIN_LOADER]);
}
