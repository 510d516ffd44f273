/* ph-window.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-cluster.h"
#include "ph-cluster-entry.h"
#include "ph-cluster-row.h"
#include "ph-kubeconfig.h"
#include "ph-list-cache.h"
#include "ph-object.h"
#include "ph-query.h"
#include "ph-quick-switcher.h"
#include "ph-watch-hub.h"
#include "ph-window.h"

struct _PhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GListStore           *entries;
  /* PhClusterEntry → PhListCache of its namespaces, while selected. */
  GHashTable           *ns_caches;
  PhWatchHub           *ns_hub;
  GHashTable           *custom_kinds;
  /* Context name → the set of "resource[.group]" its discovery lists. */
  GHashTable           *served;
  PhKind               *kind;
  char                **namespaces;
  GtkFileChooserNative *chooser;
  guint                 selection_idle_id;
  gboolean              in_reload;
  /* The namespace checks are being set to match the selection. */
  gboolean              syncing_checks;
  /* Whether the user asked for the details pane; it shows when there is
   * room, or an object to show. */
  gboolean              details_wanted;
  gboolean              syncing_flap;
  /* The remembered kind was not found among the built-in ones: discovery
   * may still bring it. */
  gboolean              restore_custom_kind;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkLabel             *welcome_error;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkListBox           *cluster_list;
  GtkMenuButton        *namespace_button;
  GtkPopover           *namespace_popover;
  GtkSearchEntry       *namespace_search;
  GtkCheckButton       *all_namespaces_check;
  GtkListBox           *namespace_list;
  GtkLabel             *namespace_placeholder;
  GtkListBox           *kind_list;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  AdwFlap              *flap;
  GtkWidget            *details_button;
  PhResourceView       *resource_view;
  PhDetailsPane        *details_pane;
  PhOverview           *overview;
};

G_DEFINE_FINAL_TYPE (PhWindow, ph_window, ADW_TYPE_APPLICATION_WINDOW)

static void ph_window_retarget (PhWindow *self);

static PhApplication *
get_app (PhWindow *self)
{
  return PH_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static PhWatchHub *
get_hub (PhWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? ph_application_get_hub (PH_APPLICATION (app)) : NULL;
}

static gboolean
invert_boolean (gpointer instance,
                gboolean value)
{
  return !value;
}

/* Clusters. */

static GPtrArray *
selected_clusters (PhWindow *self)
{
  GPtrArray *clusters = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      if (ph_cluster_entry_get_selected (entry))
        g_ptr_array_add (clusters, g_object_ref (ph_cluster_entry_get_cluster (entry)));
    }

  return clusters;
}

static PhCluster *
lookup_cluster (PhWindow   *self,
                const char *context)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  for (guint i = 0; context != NULL && i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      if (g_str_equal (ph_cluster_entry_get_name (entry), context))
        return ph_cluster_entry_get_cluster (entry);
    }

  return NULL;
}

static void
update_entry_status (PhClusterEntry *entry,
                     PhListCache    *cache)
{
  const char *error = cache != NULL ? ph_list_cache_get_error_message (cache) : NULL;

  if (cache == NULL)
    {
      ph_cluster_entry_set_status (entry, PH_CLUSTER_STATUS_IDLE, NULL);
      return;
    }

  switch (ph_list_cache_get_state (cache))
    {
    case PH_CACHE_STATE_SYNCING:
      ph_cluster_entry_set_status (entry, PH_CLUSTER_STATUS_CONNECTING, ph_cluster_entry_get_server (entry));
      break;

    case PH_CACHE_STATE_LIVE:
      ph_cluster_entry_set_status (entry, PH_CLUSTER_STATUS_LIVE, ph_cluster_entry_get_server (entry));
      break;

    case PH_CACHE_STATE_RECONNECTING:
    case PH_CACHE_STATE_STALE:
      ph_cluster_entry_set_status (entry, PH_CLUSTER_STATUS_RECONNECTING, error);
      break;

    case PH_CACHE_STATE_ERROR:
    default:
      ph_cluster_entry_set_status (entry, PH_CLUSTER_STATUS_ERROR, error);
      break;
    }
}

static void
on_ns_cache_notify (PhWindow    *self,
                    GParamSpec  *pspec,
                    PhListCache *cache)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->ns_caches);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value == cache)
      update_entry_status (key, cache);
}

static void
release_ns_cache (PhWindow       *self,
                  PhClusterEntry *entry)
{
  PhListCache *cache = g_hash_table_lookup (self->ns_caches, entry);

  if (cache == NULL)
    return;

  g_signal_handlers_disconnect_by_data (cache, self);
  ph_watch_hub_release (self->ns_hub, cache);
  g_hash_table_remove (self->ns_caches, entry);
}

static void
release_all_ns_caches (PhWindow *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->ns_caches);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_signal_handlers_disconnect_by_data (value, self);
      ph_watch_hub_release (self->ns_hub, value);
      g_hash_table_iter_remove (&iter);
    }
}

static void
update_namespace_button (PhWindow *self)
{
  guint n = self->namespaces != NULL ? g_strv_length (self->namespaces) : 0;
  g_autofree char *label = NULL;

  if (n == 0)
    label = g_strdup (_("All Namespaces"));
  else if (n == 1)
    label = g_strdup (self->namespaces[0]);
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Namespace", "%u Namespaces", n), n);

  gtk_menu_button_set_label (self->namespace_button, label);
}

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data);

static void
on_kind_row_selected (PhWindow      *self,
                      GtkListBoxRow *row);

static void update_served_rows (PhWindow *self);

static void
apply_selection (PhWindow *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) contexts = NULL;
  PhWatchHub *hub = get_hub (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  if (hub != self->ns_hub)
    {
      release_all_ns_caches (self);
      g_set_object (&self->ns_hub, hub);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      PhCluster *cluster = ph_cluster_entry_get_cluster (entry);

      if (!ph_cluster_entry_get_selected (entry))
        {
          release_ns_cache (self, entry);
          update_entry_status (entry, NULL);
          continue;
        }

      g_strv_builder_add (names, ph_cluster_entry_get_name (entry));

      /* Each selected cluster keeps its namespace list open: it feeds the
       * namespace selector and tells the status dot how the connection
       * is doing. */
      if (hub != NULL && g_hash_table_lookup (self->ns_caches, entry) == NULL)
        {
          g_autoptr(PhQuery) query = ph_query_new (cluster, "", "v1", "namespaces", NULL, NULL, NULL);
          PhListCache *cache = ph_watch_hub_acquire (hub, query);

          g_hash_table_insert (self->ns_caches, g_object_ref (entry), cache);
          g_signal_connect_object (cache, "notify::state", G_CALLBACK (on_ns_cache_notify), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (cache, "notify::error-message", G_CALLBACK (on_ns_cache_notify), self, G_CONNECT_SWAPPED);
          update_entry_status (entry, cache);

          ph_cluster_discover_async (cluster, self->cancellable, discover_cb, g_object_ref (self));
        }
    }

  contexts = g_strv_builder_end (names);
  if (!self->in_reload)
    g_settings_set_strv (self->settings, "selected-contexts", (const char * const *) contexts);

  update_served_rows (self);
  ph_window_retarget (self);
}

static gboolean
selection_idle_cb (gpointer user_data)
{
  PhWindow *self = user_data;

  self->selection_idle_id = 0;
  apply_selection (self);

  return G_SOURCE_REMOVE;
}

static void
on_entry_selected_changed (PhWindow *self)
{
  /* Ctrl+N and "select exactly these" flip several entries at once:
   * apply them together. */
  if (self->selection_idle_id == 0)
    self->selection_idle_id = g_idle_add (selection_idle_cb, self);
}

/* Kinds. */

static char *
resource_key (const char *group,
              const char *resource)
{
  return group == NULL || *group == '\0' ? g_strdup (resource) : g_strconcat (resource, ".", group, NULL);
}

/* Whether some selected cluster serves @kind; TRUE while none has told. */
static gboolean
kind_served (PhWindow *self,
             PhKind   *kind)
{
  g_autofree char *key = resource_key (ph_kind_get_group (kind), ph_kind_get_resource (kind));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  gboolean known = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      GHashTable *served;

      if (!ph_cluster_entry_get_selected (entry) || !ph_cluster_entry_get_usable (entry))
        continue;
      served = g_hash_table_lookup (self->served, ph_cluster_get_context_name (ph_cluster_entry_get_cluster (entry)));
      if (served == NULL || g_hash_table_contains (served, key))
        return TRUE;
      known = TRUE;
    }

  return !known;
}

/* Kinds that none of the selected clusters serves stay in the sidebar
 * (another cluster may), dimmed and saying so. */
static void
update_served_rows (PhWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->kind_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      PhKind *kind = g_object_get_data (G_OBJECT (row), "ph-kind");
      gboolean served = kind == NULL || kind_served (self, kind);

      if (served == !gtk_widget_has_css_class (row, "dim-label"))
        continue;
      if (served)
        {
          gtk_widget_remove_css_class (row, "dim-label");
          gtk_widget_set_tooltip_text (row, g_object_get_data (G_OBJECT (row), "ph-tooltip"));
        }
      else
        {
          gtk_widget_add_css_class (row, "dim-label");
          gtk_widget_set_tooltip_text (row, _("Not served by the selected clusters"));
        }
    }
}


static GtkWidget *
create_kind_row (PhKind     *kind,
                 const char *title,
                 const char *subtitle,
                 const char *section)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_START);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), sub);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  if (kind != NULL)
    g_object_set_data_full (G_OBJECT (row), "ph-kind", g_object_ref (kind), g_object_unref);
  g_object_set_data (G_OBJECT (row), "ph-section", (gpointer) section);

  return row;
}

static void
kind_header_func (GtkListBoxRow *row,
                  GtkListBoxRow *before,
                  gpointer       user_data)
{
  const char *section = g_object_get_data (G_OBJECT (row), "ph-section");
  const char *previous = before != NULL ? g_object_get_data (G_OBJECT (before), "ph-section") : NULL;
  GtkWidget *header;

  if (section == NULL || g_strcmp0 (section, previous) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (_(section));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "ph-sidebar-heading");
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static void
populate_kinds (PhWindow *self)
{
  GListModel *builtin = ph_kinds_get_builtin ();
  guint n = g_list_model_get_n_items (builtin);

  gtk_list_box_append (self->kind_list, create_kind_row (NULL, _("Overview"), NULL, N_("Cluster")));
  /* The overview heads the list under no section of its own. */
  g_object_set_data (G_OBJECT (gtk_widget_get_first_child (GTK_WIDGET (self->kind_list))), "ph-section", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhKind) kind = g_list_model_get_item (builtin, i);

      gtk_list_box_append (self->kind_list,
                           create_kind_row (kind, ph_kind_get_title (kind), NULL, ph_kind_get_section (kind)));
    }

  gtk_list_box_set_header_func (self->kind_list, kind_header_func, NULL, NULL);
}

static int
compare_views (gconstpointer a,
               gconstpointer b)
{
  PhPluginView *va = *(PhPluginView **) a;
  PhPluginView *vb = *(PhPluginView **) b;
  int r = g_utf8_collate (ph_plugin_view_get_sidebar_group (va), ph_plugin_view_get_sidebar_group (vb));

  return r != 0 ? r : g_utf8_collate (ph_plugin_view_get_title (va), ph_plugin_view_get_title (vb));
}

/* The plugins' views sit between the built-in kinds and the custom
 * resources discovery finds, one sidebar section per placement group. */
static void
populate_plugin_kinds (PhWindow *self)
{
  PhPluginLoader *loader = ph_application_get_plugin_loader (get_app (self));
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->kind_list);
  PhKind *selected_kind = selected != NULL ? g_object_get_data (G_OBJECT (selected), "ph-kind") : NULL;
  g_autofree char *selected_id = NULL;
  g_autoptr(GPtrArray) views = NULL;
  GtkWidget *row, *next;
  int position = 1 + g_list_model_get_n_items (ph_kinds_get_builtin ());
  gboolean reselected = FALSE;

  if (selected_kind != NULL && ph_kind_get_plugin_view (selected_kind) != NULL)
    selected_id = g_strdup (ph_kind_get_id (selected_kind));

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->kind_list)); row != NULL; row = next)
    {
      next = gtk_widget_get_next_sibling (row);
      if (g_object_get_data (G_OBJECT (row), "ph-plugin-row") != NULL)
        gtk_list_box_remove (self->kind_list, row);
    }

  views = loader != NULL ? g_ptr_array_copy (ph_plugin_loader_get_views (loader), (GCopyFunc) g_object_ref, NULL)
                         : g_ptr_array_new ();
  g_ptr_array_set_free_func (views, g_object_unref);
  g_ptr_array_sort (views, compare_views);

  for (guint i = 0; i < views->len; i++)
    {
      g_autoptr(PhKind) kind = ph_kind_new_for_plugin_view (g_ptr_array_index (views, i));

      row = create_kind_row (kind, ph_kind_get_title (kind), NULL, ph_kind_get_section (kind));
      gtk_widget_set_tooltip_text (row, ph_plugin_view_get_plugin (g_ptr_array_index (views, i)));
      g_object_set_data_full (G_OBJECT (row), "ph-tooltip",
                              g_strdup (ph_plugin_view_get_plugin (g_ptr_array_index (views, i))), g_free);
      g_object_set_data (G_OBJECT (row), "ph-plugin-row", GINT_TO_POINTER (TRUE));
      gtk_list_box_insert (self->kind_list, row, position++);

      if (selected_id != NULL && g_str_equal (selected_id, ph_kind_get_id (kind)))
        {
          gtk_list_box_select_row (self->kind_list, GTK_LIST_BOX_ROW (row));
          reselected = TRUE;
        }
    }

  /* The list that was shown went away with its plugin. */
  if (selected_id != NULL && !reselected)
    ph_window_show_kind (self, "overview");

  update_served_rows (self);
}

static void
on_app_plugin_loader_changed (PhWindow *self)
{
  ph_details_pane_set_plugin_loader (self->details_pane, ph_application_get_plugin_loader (get_app (self)));
  populate_plugin_kinds (self);
}

typedef struct
{
  PhWindow *window;
  PhKind   *kind;
  char     *group;
} CrdRequest;

static void
crd_request_free (CrdRequest *request)
{
  g_object_unref (request->window);
  g_object_unref (request->kind);
  g_free (request->group);
  g_free (request);
}

static void
crd_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  CrdRequest *request = user_data;
  PhWindow *self = request->window;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  body = ph_cluster_request_finish (PH_CLUSTER (object), result, NULL, &error);
  if (body == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      crd_request_free (request);
      return;
    }

  if (body != NULL)
    root = json_from_string (g_bytes_get_data (body, NULL), NULL);

  /* The CRD's versions: the printer columns of the served version. */
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *spec = json_object_get_object_member (json_node_get_object (root), "spec");
      JsonArray *versions = spec != NULL && json_object_has_member (spec, "versions") ?
                            json_object_get_array_member (spec, "versions") : NULL;

      for (guint i = 0; versions != NULL && i < json_array_get_length (versions); i++)
        {
          JsonObject *version = json_array_get_object_element (versions, i);

          if (version != NULL &&
              g_strcmp0 (json_object_get_string_member_with_default (version, "name", NULL),
                         ph_kind_get_version (request->kind)) == 0 &&
              json_object_has_member (version, "additionalPrinterColumns"))
            ph_kind_set_printer_columns (request->kind,
                                         json_object_get_array_member (version, "additionalPrinterColumns"));
        }
    }
  else if (error != NULL)
    g_debug ("No printer columns for %s: %s", ph_kind_get_id (request->kind), error->message);

  gtk_list_box_append (self->kind_list,
                       create_kind_row (request->kind, ph_kind_get_title (request->kind), request->group,
                                        N_("Custom Resources")));
  update_served_rows (request->window);

  /* The remembered kind may be a custom one that discovery just found. */
  {
    g_autofree char *remembered = g_settings_get_string (self->settings, "selected-resource");

    if (self->restore_custom_kind && g_strcmp0 (remembered, ph_kind_get_id (request->kind)) == 0)
      ph_window_show_kind (self, remembered);
  }

  crd_request_free (request);
}

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PhWindow) self = user_data;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;

  infos = ph_cluster_discover_finish (PH_CLUSTER (object), result, &error);
  if (infos == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Discovery of %s failed: %s", ph_cluster_get_context_name (PH_CLUSTER (object)), error->message);
      return;
    }

  {
    GHashTable *served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < infos->len; i++)
      {
        PhResourceInfo *info = g_ptr_array_index (infos, i);

        if (strchr (info->resource, '/') == NULL)
          g_hash_table_add (served, resource_key (info->group, info->resource));
      }
    g_hash_table_replace (self->served, g_strdup (ph_cluster_get_context_name (PH_CLUSTER (object))), served);
    update_served_rows (self);
  }

  for (guint i = 0; i < infos->len; i++)
    {
      PhResourceInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(PhKind) kind = NULL;
      g_autofree char *section = NULL;

      if (ph_kinds_is_builtin_group (info->group) || strchr (info->resource, '/') != NULL)
        continue;
      if (info->verbs == NULL || !g_strv_contains ((const char * const *) info->verbs, "watch"))
        continue;

      kind = ph_kind_new_custom (info->group, info->version, info->resource, info->kind, info->namespaced);
      if (g_hash_table_contains (self->custom_kinds, ph_kind_get_id (kind)))
        continue;

      g_hash_table_insert (self->custom_kinds, g_strdup (ph_kind_get_id (kind)), g_object_ref (kind));

      /* The CRD says which columns its objects show; the row appears once
       * that is known. */
      {
        g_autofree char *path = g_strdup_printf ("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/%s",
                                                 ph_kind_get_id (kind));
        CrdRequest *request = g_new0 (CrdRequest, 1);

        request->window = g_object_ref (self);
        request->kind = g_object_ref (kind);
        request->group = g_strdup (info->group);
        ph_cluster_request_async (PH_CLUSTER (object), "GET", path, NULL, NULL, self->cancellable,
                                  crd_cb, request);
      }
    }
}

static void
on_kind_row_selected (PhWindow      *self,
                      GtkListBoxRow *row)
{
  PhKind *kind;

  if (row == NULL)
    return;

  kind = g_object_get_data (G_OBJECT (row), "ph-kind");
  g_set_object (&self->kind, kind);
  if (!self->in_reload)
    self->restore_custom_kind = FALSE;

  gtk_stack_set_visible_child_name (self->content_stack, kind != NULL ? "list" : "overview");
  if (!self->in_reload)
    g_settings_set_string (self->settings, "selected-resource", kind != NULL ? ph_kind_get_id (kind) : "overview");

  ph_window_retarget (self);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* Namespaces. */

static void
save_namespaces (PhWindow *self)
{
  const char *empty[] = { NULL };

  g_settings_set_strv (self->settings, "selected-namespaces",
                       self->namespaces != NULL ? (const char * const *) self->namespaces : empty);
}

/* Ticks exactly what is listed: "All Namespaces" alone, or the chosen
 * namespaces. */
static void
sync_namespace_checks (PhWindow *self)
{
  self->syncing_checks = TRUE;

  gtk_check_button_set_active (self->all_namespaces_check, self->namespaces == NULL);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->namespace_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = GTK_IS_LIST_BOX_ROW (row) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;
      const char *name = check != NULL ? g_object_get_data (G_OBJECT (check), "ph-namespace") : NULL;

      if (GTK_IS_CHECK_BUTTON (check) && name != NULL)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                     self->namespaces != NULL &&
                                     g_strv_contains ((const char * const *) self->namespaces, name));
    }

  self->syncing_checks = FALSE;
}

static void
on_namespace_toggled (GtkCheckButton *check,
                      PhWindow       *self)
{
  const char *name = g_object_get_data (G_OBJECT (check), "ph-namespace");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean active = gtk_check_button_get_active (check);
  gboolean present = self->namespaces != NULL && g_strv_contains ((const char * const *) self->namespaces, name);
  g_auto(GStrv) namespaces = NULL;

  if (self->syncing_checks || active == present)
    return;

  for (guint i = 0; self->namespaces != NULL && self->namespaces[i] != NULL; i++)
    if (!g_str_equal (self->namespaces[i], name))
      g_strv_builder_add (builder, self->namespaces[i]);
  if (active)
    g_strv_builder_add (builder, name);

  namespaces = g_strv_builder_end (builder);
  ph_window_set_namespaces (self, (const char * const *) namespaces);
  save_namespaces (self);
}

static gboolean
namespace_filter_func (GtkListBoxRow *row,
                       gpointer       user_data)
{
  PhWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->namespace_search));
  const char *name = g_object_get_data (G_OBJECT (row), "ph-namespace");
  g_autofree char *folded_text = NULL;
  g_autofree char *folded_name = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  if (name == NULL)
    return FALSE;

  folded_text = g_utf8_casefold (text, -1);
  folded_name = g_utf8_casefold (name, -1);

  return strstr (folded_name, folded_text) != NULL;
}

static void
on_namespace_search_changed (PhWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->namespace_search));

  gtk_label_set_label (self->namespace_placeholder,
                       text != NULL && *text != '\0' ? _("No matching namespaces") : _("No namespaces"));
  gtk_list_box_invalidate_filter (self->namespace_list);
}

static int
compare_string_pointers (const void *a,
                         const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
on_namespace_popover_show (PhWindow *self)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const char **sorted = NULL;
  GHashTableIter iter;
  gpointer value;
  GtkWidget *child, *next;
  guint n_names;

  /* Each opening starts from the whole list. */
  gtk_editable_set_text (GTK_EDITABLE (self->namespace_search), "");

  /* The rows go; the placeholder, also a child, stays. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->namespace_list)); child != NULL; child = next)
    {
      next = gtk_widget_get_next_sibling (child);
      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (self->namespace_list, child);
    }

  /* The union of the selected clusters' namespaces, plus any selected
   * one a cluster does not (yet) report. */
  g_hash_table_iter_init (&iter, self->ns_caches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (value));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PhObject) ns = g_list_model_get_item (G_LIST_MODEL (value), i);

          g_hash_table_add (names, (gpointer) g_intern_string (ph_object_get_name (ns)));
        }
    }
  for (guint i = 0; self->namespaces != NULL && self->namespaces[i] != NULL; i++)
    g_hash_table_add (names, (gpointer) g_intern_string (self->namespaces[i]));

  sorted = (const char **) g_hash_table_get_keys_as_array (names, &n_names);
  qsort (sorted, n_names, sizeof (char *), compare_string_pointers);

  for (guint i = 0; i < n_names; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (sorted[i]);

      g_object_set_data_full (G_OBJECT (check), "ph-namespace", g_strdup (sorted[i]), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_namespace_toggled), self, 0);
      gtk_list_box_append (self->namespace_list, check);
      g_object_set_data_full (G_OBJECT (gtk_widget_get_parent (check)), "ph-namespace", g_strdup (sorted[i]), g_free);
    }

  gtk_list_box_set_filter_func (self->namespace_list, namespace_filter_func, self, NULL);
  sync_namespace_checks (self);
}

static void
on_all_namespaces_toggled (PhWindow *self)
{
  if (self->syncing_checks)
    return;

  /* Ticking it lists every namespace; unticking it alone would list
   * nothing, so it stays ticked until a namespace is picked instead. */
  if (gtk_check_button_get_active (self->all_namespaces_check) && self->namespaces != NULL)
    {
      ph_window_set_namespaces (self, NULL);
      save_namespaces (self);
    }
  else
    sync_namespace_checks (self);
}

/* Targets. */

static void
ph_window_retarget (PhWindow *self)
{
  g_autoptr(GPtrArray) clusters = selected_clusters (self);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  PhWatchHub *hub = get_hub (self);

  for (guint i = 0; i < clusters->len; i++)
    {
      if (i > 0)
        g_string_append (subtitle, ", ");
      g_string_append (subtitle, ph_cluster_get_context_name (g_ptr_array_index (clusters, i)));
    }
  if (self->kind != NULL && ph_kind_get_namespaced (self->kind))
    {
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, gtk_menu_button_get_label (self->namespace_button));
    }

  adw_window_title_set_title (self->content_title, self->kind != NULL ? ph_kind_get_title (self->kind) : _("Overview"));
  adw_window_title_set_subtitle (self->content_title, subtitle->str);

  if (self->kind != NULL)
    ph_resource_view_set_target (self->resource_view, hub, clusters,
                                 (const char * const *) self->namespaces, self->kind);
  else
    /* Nothing is watched for a list nobody sees. */
    ph_resource_view_set_target (self->resource_view, NULL, NULL, NULL, NULL);

  ph_overview_set_target (self->overview, hub, clusters);
}

/* Beside the list the pane shows whenever it is wanted; over a narrow
 * list only when there is an object to show. */
static void
sync_flap (PhWindow *self)
{
  gboolean has_object = ph_resource_view_get_selected_object (self->resource_view) != NULL;
  gboolean room = !adw_flap_get_folded (self->flap);

  self->syncing_flap = TRUE;
  adw_flap_set_reveal_flap (self->flap, self->details_wanted && (room || has_object));
  self->syncing_flap = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->details_button), room || has_object);
}

static void
on_flap_reveal_changed (PhWindow *self)
{
  /* The details button, bound to the flap, says what the user wants. */
  if (self->syncing_flap)
    return;

  self->details_wanted = adw_flap_get_reveal_flap (self->flap);
  sync_flap (self);
}

static void
on_selected_object_changed (PhWindow *self)
{
  PhObject *object = ph_resource_view_get_selected_object (self->resource_view);
  PhCluster *cluster = object != NULL ? lookup_cluster (self, ph_object_get_context (object)) : NULL;

  ph_details_pane_set_object (self->details_pane, object, get_hub (self), cluster);
  sync_flap (self);
}

/* Loading a kubeconfig. */

/* The actions that act on the browser page: on the welcome page they
 * would change its state unseen. */
static const char * const browser_actions[] = {
  "win.search", "win.quick-switch", "win.retry", "win.refresh", "win.select-cluster",
  "win.toggle-sidebar", "win.go-back", "win.show-details", "win.hide-details",
  "win.toggle-details", "win.go-to-object",
};

static void
set_browser_actions_enabled (PhWindow *self,
                             gboolean  enabled)
{
  for (guint i = 0; i < G_N_ELEMENTS (browser_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), browser_actions[i], enabled);
}

/* Whether @error is what loading by the default rules (the files of the
 * preferences, else KUBECONFIG, else ~/.kube/config) gives: the
 * application loaded an explicit file (--kubeconfig) otherwise.  Sets
 * @any_exists when one of those files exists. */
static gboolean
error_is_from_default_rules (PhWindow     *self,
                             const GError *error,
                             gboolean     *from_preferences,
                             gboolean     *any_exists)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "kubeconfig-paths");
  g_auto(GStrv) standard = NULL;
  g_autoptr(PhKubeconfig) probe = NULL;
  g_autoptr(GError) probe_error = NULL;
  const char *env = g_getenv ("KUBECONFIG");

  *from_preferences = paths[0] != NULL;
  if (*from_preferences)
    standard = g_strdupv (paths);
  else if (env != NULL && *env != '\0')
    standard = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
  else
    {
      standard = g_new0 (char *, 2);
      standard[0] = g_build_filename (g_get_home_dir (), ".kube", "config", NULL);
    }

  *any_exists = FALSE;
  for (guint i = 0; standard[i] != NULL; i++)
    if (*standard[i] != '\0' && g_file_test (standard[i], G_FILE_TEST_EXISTS))
      *any_exists = TRUE;

  /* Loading is deterministic: the same files fail the same way. */
  probe = ph_kubeconfig_load_files ((const char * const *) standard, &probe_error);

  return probe == NULL && probe_error != NULL && g_strcmp0 (probe_error->message, error->message) == 0;
}

/* The welcome page says why there are no clusters: none found where
 * Porthole looks by default, or the file it was given could not be
 * loaded (the error names the file and what is wrong). */
static void
update_welcome (PhWindow     *self,
                const GError *error)
{
  gboolean from_preferences = FALSE;
  gboolean any_exists = FALSE;
  gboolean from_default_rules = error == NULL ||
                                error_is_from_default_rules (self, error, &from_preferences, &any_exists);
  const char *description;

  if (!from_default_rules)
    description = _("Porthole could not load the kubeconfig file it was given:");
  else if (any_exists)
    description = _("Porthole shows the clusters of your kubeconfig, but it could not read your kubeconfig file:");
  else if (from_preferences)
    description = _("Porthole shows the clusters of your kubeconfig. None of the files chosen in Preferences was found.");
  else
    description = _("Porthole shows the clusters of your kubeconfig. It looks for the files listed in the KUBECONFIG environment variable, and otherwise for ~/.kube/config. Neither was found.");

  adw_status_page_set_description (self->welcome_page, description);
  /* Nothing found where it looked needs no more words than the above. */
  gtk_label_set_label (self->welcome_error, error != NULL ? error->message : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->welcome_error),
                          error != NULL && (!from_default_rules || any_exists));
}

static void
clear_entries (PhWindow *self)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      g_signal_handlers_disconnect_by_data (entry, self);
    }
  release_all_ns_caches (self);
  g_list_store_remove_all (self->entries);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cluster_list))) != NULL)
    gtk_list_box_remove (self->cluster_list, child);
}

static void
initial_namespaces (PhWindow     *self,
                    PhKubeconfig *kubeconfig)
{
  g_auto(GStrv) remembered = NULL;

  if (ph_application_get_all_namespaces (get_app (self)))
    {
      ph_window_set_namespaces (self, NULL);
      return;
    }

  switch (g_settings_get_enum (self->settings, "namespace-mode"))
    {
    case 1: /* all */
      ph_window_set_namespaces (self, NULL);
      break;

    case 2: /* remember */
      remembered = g_settings_get_strv (self->settings, "selected-namespaces");
      ph_window_set_namespaces (self, remembered[0] != NULL ? (const char * const *) remembered : NULL);
      break;

    case 0: /* the context's */
    default:
      {
        const char *current = ph_kubeconfig_get_current_context (kubeconfig);
        PhContext *context = current != NULL ? ph_kubeconfig_lookup_context (kubeconfig, current) : NULL;
        const char *ns = context != NULL ? ph_context_get_namespace (context) : NULL;
        const char *one[] = { ns, NULL };

        /* A context without a namespace reads best as all of them. */
        ph_window_set_namespaces (self, ns != NULL ? one : NULL);
      }
      break;
    }
}

static void
ph_window_reload (PhWindow *self)
{
  PhApplication *app = get_app (self);
  PhKubeconfig *kubeconfig = ph_application_get_kubeconfig (app);
  const GError *error = ph_application_get_kubeconfig_error (app);
  g_auto(GStrv) remembered = NULL;
  g_autofree char *resource = NULL;
  GListModel *contexts;
  GPtrArray *file_errors;
  gboolean any_selected = FALSE;
  guint n;

  self->in_reload = TRUE;
  clear_entries (self);

  if (kubeconfig == NULL)
    {
      update_welcome (self, error);
      set_browser_actions_enabled (self, FALSE);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      ph_window_retarget (self);
      self->in_reload = FALSE;
      return;
    }

  contexts = ph_kubeconfig_get_contexts (kubeconfig);
  n = g_list_model_get_n_items (contexts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhContext) context = g_list_model_get_item (contexts, i);
      const GError *context_error = ph_context_get_error (context);
      g_autoptr(PhCluster) cluster = NULL;
      g_autoptr(GError) cluster_error = NULL;
      g_autoptr(PhClusterEntry) entry = NULL;

      /* A broken entry is listed with its error and leaves the others be. */
      if (context_error == NULL)
        cluster = ph_cluster_new (kubeconfig, ph_context_get_name (context), &cluster_error);

      if (context_error != NULL)
        entry = ph_cluster_entry_new_broken (ph_context_get_name (context), ph_context_get_server (context),
                                             context_error->message, ph_context_get_problem (context),
                                             ph_context_get_problem_field (context));
      else
        entry = ph_cluster_entry_new (ph_context_get_name (context), ph_context_get_server (context), cluster,
                                      cluster_error != NULL ? cluster_error->message : NULL);
      g_list_store_append (self->entries, entry);
    }

  file_errors = ph_kubeconfig_get_file_errors (kubeconfig);
  for (guint i = 0; file_errors != NULL && i < file_errors->len; i++)
    {
      const GError *file_error = g_ptr_array_index (file_errors, i);
      const char *field = NULL;
      PhKubeconfigProblem problem = ph_kubeconfig_get_file_problem (kubeconfig, i, NULL, NULL, &field);
      g_autoptr(PhClusterEntry) entry = ph_cluster_entry_new_broken (_("Unreadable kubeconfig"), NULL,
                                                                     file_error->message, problem, field);

      g_list_store_append (self->entries, entry);
    }

  remembered = g_settings_get_strv (self->settings, "selected-contexts");
  n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      if (g_strv_contains ((const char * const *) remembered, ph_cluster_entry_get_name (entry)) &&
          ph_cluster_entry_get_usable (entry))
        {
          ph_cluster_entry_set_selected (entry, TRUE);
          any_selected = TRUE;
        }
    }
  if (!any_selected)
    {
      const char *current = ph_kubeconfig_get_current_context (kubeconfig);

      for (guint i = 0; i < n && !any_selected; i++)
        {
          g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

          if (g_strcmp0 (current, ph_cluster_entry_get_name (entry)) == 0 && ph_cluster_entry_get_usable (entry))
            {
              ph_cluster_entry_set_selected (entry, TRUE);
              any_selected = TRUE;
            }
        }
      for (guint i = 0; i < n && !any_selected; i++)
        {
          g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

          if (ph_cluster_entry_get_usable (entry))
            {
              ph_cluster_entry_set_selected (entry, TRUE);
              any_selected = TRUE;
            }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      gtk_list_box_append (self->cluster_list, ph_cluster_row_new (entry));
      g_signal_connect_object (entry, "notify::selected", G_CALLBACK (on_entry_selected_changed), self,
                               G_CONNECT_SWAPPED);
    }

  initial_namespaces (self, kubeconfig);

  set_browser_actions_enabled (self, TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "browser");

  resource = g_settings_get_string (self->settings, "selected-resource");
  self->restore_custom_kind = !ph_window_show_kind (self, resource);
  if (self->restore_custom_kind)
    ph_window_show_kind (self, "pods");

  g_clear_handle_id (&self->selection_idle_id, g_source_remove);
  apply_selection (self);
  self->in_reload = FALSE;
}

/* Actions. */

static void
show_error (PhWindow   *self,
            const char *title,
            const char *detail)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), title, detail);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!ph_application_open_demo (get_app (self), &error))
    show_error (self, _("Cannot Start the Demo Clusters"), error->message);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     PhWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char *paths[] = { path, NULL };

      /* Remembered: the next start opens the same file. */
      if (path != NULL)
        g_settings_set_strv (self->settings, "kubeconfig-paths", paths);
    }

  g_clear_object (&self->chooser);
}

static void
choose_kubeconfig_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose a Kubeconfig File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);

  if (self->kind == NULL)
    return;

  ph_resource_view_focus_search (self->resource_view);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);
  GHashTableIter iter;
  gpointer value;

  ph_resource_view_retry (self->resource_view);

  g_hash_table_iter_init (&iter, self->ns_caches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (ph_list_cache_get_state (value) != PH_CACHE_STATE_LIVE)
      ph_list_cache_retry (value);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ph_resource_view_reload (PH_WINDOW (widget)->resource_view);
}

static void
select_cluster_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);
  guint wanted = g_variant_get_uint32 (param);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autoptr(PhClusterEntry) target = NULL;

  /* Numbered as the sidebar lists them, broken entries included, so a
   * number always means the same row. */
  if (wanted == 0 || wanted > n)
    return;
  target = g_list_model_get_item (G_LIST_MODEL (self->entries), wanted - 1);

  if (!ph_cluster_entry_get_usable (target))
    {
      /* The sidebar row says what is wrong with it (toast titles are markup). */
      g_autofree char *text = g_markup_printf_escaped (_("“%s” cannot be shown: its kubeconfig entry is broken"),
                                                       ph_cluster_entry_get_name (target));
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  /* Ctrl+N shows that cluster alone. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      ph_cluster_entry_set_selected (entry, entry == target);
    }
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  else
    gtk_widget_set_visible (self->sidebar, !gtk_widget_get_visible (self->sidebar));
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  adw_leaflet_navigate (PH_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ph_window_set_details_visible (PH_WINDOW (widget), TRUE);
}

static void
hide_details_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  ph_window_set_details_visible (PH_WINDOW (widget), FALSE);
}

static void
toggle_details_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);

  ph_window_set_details_visible (self, !self->details_wanted);
}

static void
go_to_object_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);
  const char *kind_name = NULL;
  const char *name = NULL;
  GListModel *builtin = ph_kinds_get_builtin ();
  guint n = g_list_model_get_n_items (builtin);

  g_variant_get (param, "(&s&s)", &kind_name, &name);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhKind) kind = g_list_model_get_item (builtin, i);

      if (g_str_equal (ph_kind_get_kind (kind), kind_name))
        {
          ph_window_show_kind (self, ph_kind_get_id (kind));
          ph_resource_view_set_search_text (self->resource_view, name);
          return;
        }
    }
}

static void
on_quick_switch_kind (PhWindow *self,
                      PhKind   *kind)
{
  if (!ph_window_show_kind (self, ph_kind_get_id (kind)))
    {
      g_autoptr(PhKind) ref = g_object_ref (kind);

      g_hash_table_insert (self->custom_kinds, g_strdup (ph_kind_get_id (kind)), g_steal_pointer (&ref));
    }
}

static void
on_quick_switch_object (PhWindow *self,
                        PhObject *object)
{
  ph_resource_view_set_search_text (self->resource_view, NULL);
  if (ph_resource_view_select_object (self->resource_view, object))
    ph_window_set_details_visible (self, TRUE);
}

static void
quick_switch_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PhWindow *self = PH_WINDOW (widget);
  g_autoptr(GListStore) kinds = g_list_store_new (PH_TYPE_KIND);
  GListModel *builtin = ph_kinds_get_builtin ();
  GHashTableIter iter;
  gpointer value;
  PhQuickSwitcher *switcher;

  for (guint i = 0; i < g_list_model_get_n_items (builtin); i++)
    {
      g_autoptr(PhKind) kind = g_list_model_get_item (builtin, i);

      g_list_store_append (kinds, kind);
    }
  g_hash_table_iter_init (&iter, self->custom_kinds);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_list_store_append (kinds, value);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->kind_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "ph-plugin-row") != NULL)
      g_list_store_append (kinds, g_object_get_data (G_OBJECT (row), "ph-kind"));

  switcher = ph_quick_switcher_new (GTK_WINDOW (self), G_LIST_MODEL (kinds),
                                    self->kind != NULL ? ph_resource_view_get_model (self->resource_view) : NULL);
  g_signal_connect_object (switcher, "kind-chosen", G_CALLBACK (on_quick_switch_kind), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (switcher, "object-chosen", G_CALLBACK (on_quick_switch_object), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (switcher));
}

/* GObject. */

static void
on_app_kubeconfig_changed (PhWindow *self)
{
  ph_window_reload (self);
}

static void
on_app_hub_changed (PhWindow *self)
{
  apply_selection (self);
}

static gboolean
ph_window_close_request (GtkWindow *window)
{
  PhWindow *self = PH_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (ph_window_parent_class)->close_request (window);
}

/* "application" is no construct property of GtkWindow: the window is
 * wired to its application once that is set, from ph_window_new(). */
static void
ph_window_setup (PhWindow *self)
{
  PhApplication *app = get_app (self);

  g_assert (PH_IS_APPLICATION (app));

  self->settings = g_object_ref (ph_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "sidebar-visible", self->sidebar, "visible", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (app, "notify::kubeconfig", G_CALLBACK (on_app_kubeconfig_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::hub", G_CALLBACK (on_app_hub_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::plugin-loader", G_CALLBACK (on_app_plugin_loader_changed), self, G_CONNECT_SWAPPED);
  on_app_plugin_loader_changed (self);

  ph_window_reload (self);
}

static void
ph_window_dispose (GObject *object)
{
  PhWindow *self = PH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->selection_idle_id, g_source_remove);
  if (self->entries != NULL)
    clear_entries (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* The views release their caches before the hub goes. */
  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_WINDOW);

  g_clear_object (&self->ns_hub);
  g_clear_object (&self->kind);
  g_clear_object (&self->entries);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ph_window_parent_class)->dispose (object);
}

static void
ph_window_finalize (GObject *object)
{
  PhWindow *self = PH_WINDOW (object);

  g_hash_table_unref (self->ns_caches);
  g_hash_table_unref (self->custom_kinds);
  g_hash_table_unref (self->served);
  g_strfreev (self->namespaces);

  G_OBJECT_CLASS (ph_window_parent_class)->finalize (object);
}

static void
ph_window_class_init (PhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ph_window_dispose;
  object_class->finalize = ph_window_finalize;
  window_class->close_request = ph_window_close_request;

  g_type_ensure (PH_TYPE_RESOURCE_VIEW);
  g_type_ensure (PH_TYPE_DETAILS_PANE);
  g_type_ensure (PH_TYPE_OVERVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, welcome_error);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, cluster_list);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, namespace_button);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, namespace_popover);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, namespace_search);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, all_namespaces_check);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, namespace_list);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, kind_list);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, namespace_placeholder);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, resource_view);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, details_pane);
  gtk_widget_class_bind_template_child (widget_class, PhWindow, overview);
  gtk_widget_class_bind_template_callback (widget_class, invert_boolean);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_namespace_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_namespace_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_all_namespaces_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_object_changed);

  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.choose-kubeconfig", NULL, choose_kubeconfig_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.quick-switch", NULL, quick_switch_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.select-cluster", "u", select_cluster_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.show-details", NULL, show_details_action);
  gtk_widget_class_install_action (widget_class, "win.hide-details", NULL, hide_details_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-details", NULL, toggle_details_action);
  gtk_widget_class_install_action (widget_class, "win.go-to-object", "(ss)", go_to_object_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.quick-switch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.quick-switch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.retry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "win.toggle-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  for (guint i = 1; i <= 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, GDK_CONTROL_MASK, "win.select-cluster", "u", i);
}

static void
on_folded_changed (PhWindow *self)
{
  /* Narrowing the window keeps the list in view, not the sidebar. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      gtk_list_box_get_selected_row (self->kind_list) != NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
ph_window_init (PhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (sync_flap), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (on_flap_reveal_changed), self,
                           G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->entries = g_list_store_new (PH_TYPE_CLUSTER_ENTRY);
  self->ns_caches = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->custom_kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);

  populate_kinds (self);
  update_namespace_button (self);
}

PhWindow *
ph_window_new (PhApplication *application)
{
  PhWindow *self;

  g_return_val_if_fail (PH_IS_APPLICATION (application), NULL);

  self = g_object_new (PH_TYPE_WINDOW, "application", application, NULL);
  ph_window_setup (self);

  return self;
}

GListModel *
ph_window_get_clusters (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->entries);
}

void
ph_window_select_clusters (PhWindow           *self,
                           const char * const *contexts)
{
  guint n;

  g_return_if_fail (PH_IS_WINDOW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      ph_cluster_entry_set_selected (entry, contexts != NULL &&
                                     g_strv_contains (contexts, ph_cluster_entry_get_name (entry)));
    }

  g_clear_handle_id (&self->selection_idle_id, g_source_remove);
  apply_selection (self);
}

gboolean
ph_window_show_kind (PhWindow   *self,
                     const char *kind_id)
{
  GtkWidget *row;

  g_return_val_if_fail (PH_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (kind_id != NULL, FALSE);

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->kind_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      PhKind *kind;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;

      kind = g_object_get_data (G_OBJECT (row), "ph-kind");
      if ((kind == NULL && g_str_equal (kind_id, "overview")) ||
          (kind != NULL && g_str_equal (ph_kind_get_id (kind), kind_id)))
        {
          gtk_list_box_select_row (self->kind_list, GTK_LIST_BOX_ROW (row));
          return TRUE;
        }
    }

  return FALSE;
}

void
ph_window_set_namespaces (PhWindow           *self,
                          const char * const *namespaces)
{
  g_return_if_fail (PH_IS_WINDOW (self));

  g_clear_pointer (&self->namespaces, g_strfreev);
  if (namespaces != NULL && namespaces[0] != NULL)
    self->namespaces = g_strdupv ((char **) namespaces);

  update_namespace_button (self);
  sync_namespace_checks (self);
  if (!self->in_reload)
    ph_window_retarget (self);
}

const char *
ph_window_get_page (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

PhResourceView *
ph_window_get_resource_view (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return self->resource_view;
}

PhDetailsPane *
ph_window_get_details_pane (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return self->details_pane;
}

PhOverview *
ph_window_get_overview (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return self->overview;
}

GtkWidget *
ph_window_get_cluster_row (PhWindow   *self,
                           const char *context)
{
  GtkWidget *row;

  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->cluster_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (PH_IS_CLUSTER_ROW (row) &&
        g_str_equal (ph_cluster_entry_get_name (ph_cluster_row_get_entry (PH_CLUSTER_ROW (row))), context))
      return row;

  return NULL;
}

void
ph_window_set_details_visible (PhWindow *self,
                               gboolean  visible)
{
  g_return_if_fail (PH_IS_WINDOW (self));

  self->details_wanted = !!visible;
  sync_flap (self);
}

GtkPopover *
ph_window_get_namespace_popover (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return self->namespace_popover;
}

GtkCheckButton *
ph_window_get_namespace_check (PhWindow   *self,
                               const char *name)
{
  GtkWidget *row;

  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->namespace_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = GTK_IS_LIST_BOX_ROW (row) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;

      if (GTK_IS_CHECK_BUTTON (check) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (check), "ph-namespace"), name) == 0)
        return GTK_CHECK_BUTTON (check);
    }

  return NULL;
}

gboolean
ph_window_get_folded (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), FALSE);

  return adw_leaflet_get_folded (self->leaflet);
}

const char *
ph_window_get_visible_pane (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return adw_leaflet_get_visible_child (self->leaflet) == self->sidebar ? "sidebar" : "content";
}

GtkListBox *
ph_window_get_kind_list (PhWindow *self)
{
  g_return_val_if_fail (PH_IS_WINDOW (self), NULL);

  return self->kind_list;
}
