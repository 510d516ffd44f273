/* ph-details-pane.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "ph-age-cell.h"
#include "ph-cluster.h"
#include "ph-details-pane.h"
#include "ph-json-util.h"
#include "ph-list-cache.h"
#include "ph-object.h"
#include "ph-plugin-loader.h"
#include "ph-query.h"
#include "ph-watch-hub.h"

struct _PhDetailsPane
{
  GtkWidget        parent_instance;

  PhObject        *object;
  PhWatchHub      *events_hub;
  PhListCache     *events;
  gboolean         reveal_secrets;
  guint            n_events;
  guint            refresh_id;
  char            *yaml;
  PhPluginLoader  *plugin_loader;

  GtkLabel        *title_label;
  GtkStack        *outer_stack;
  GtkStack        *stack;
  GtkWidget       *switcher;
  GtkScrolledWindow *summary_scroller;
  GtkBox          *summary_box;
  GtkScrolledWindow *yaml_scroller;
  GtkSourceView   *yaml_view;
  GtkSourceBuffer *yaml_buffer;
};

G_DEFINE_FINAL_TYPE (PhDetailsPane, ph_details_pane, GTK_TYPE_WIDGET)

static void ph_details_pane_refresh (PhDetailsPane *self);

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);

  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return 0;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

/* An IntOrString of the API ("25%" or 1) as text. */
static char *
member_int_or_string (JsonObject *object,
                      const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
}

static GtkWidget *
add_group (PhDetailsPane *self,
           const char    *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->summary_box, group);

  return group;
}

/* @wrap: the value is free text, read whole on more lines; otherwise
 * an identifier, kept on one line. */
static GtkWidget *
add_row_full (GtkWidget  *group,
              const char *title,
              const char *value,
              gboolean    wrap)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_tooltip_text (label, value);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_object_set_data (G_OBJECT (row), "ph-value-label", label);

  return row;
}

static GtkWidget *
add_row (GtkWidget  *group,
         const char *title,
         const char *value)
{
  return add_row_full (group, title, value, FALSE);
}

static GtkWidget *
add_wide_row (GtkWidget  *group,
              const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  return row;
}

static void
add_status_suffix (GtkWidget  *row,
                   const char *text,
                   gboolean    good)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, good ? "success" : "warning");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

static void
add_map_group (PhDetailsPane *self,
               JsonObject    *map,
               const char    *title)
{
  g_autoptr(GList) members = NULL;
  GtkWidget *group;

  if (map == NULL || json_object_get_size (map) == 0)
    return;

  group = add_group (self, title);
  members = json_object_get_members (map);
  members = g_list_sort (members, (GCompareFunc) g_strcmp0);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *value = member_string (map, l->data);

      if (value != NULL && (strlen (value) > 40 || strchr (value, '\n') != NULL))
        add_wide_row (group, l->data, value);
      else
        add_row_full (group, l->data, value != NULL ? value : "", TRUE);
    }
}

static void
on_reveal_toggled (GtkToggleButton *button,
                   PhDetailsPane   *self)
{
  self->reveal_secrets = gtk_toggle_button_get_active (button);
  ph_details_pane_refresh (self);
}

static void
add_secret_group (PhDetailsPane *self,
                  JsonObject    *data)
{
  g_autoptr(GList) members = NULL;
  GtkWidget *group;
  GtkWidget *reveal;

  if (data == NULL || json_object_get_size (data) == 0)
    return;

  group = add_group (self, _("Data"));
  reveal = gtk_toggle_button_new_with_mnemonic (self->reveal_secrets ? _("_Hide Values") : _("_Reveal Values"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (reveal), self->reveal_secrets);
  gtk_widget_add_css_class (reveal, "flat");
  g_signal_connect_object (reveal, "toggled", G_CALLBACK (on_reveal_toggled), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), reveal);

  members = json_object_get_members (data);
  members = g_list_sort (members, (GCompareFunc) g_strcmp0);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *encoded = member_string (data, l->data);

      if (!self->reveal_secrets)
        add_row (group, l->data, "••••••••");
      else
        {
          gsize len = 0;
          g_autofree guchar *raw = g_base64_decode (encoded != NULL ? encoded : "", &len);
          g_autofree char *text = NULL;

          if (g_utf8_validate ((const char *) raw, len, NULL))
            text = g_strndup ((const char *) raw, len);
          else
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte of binary data",
                                                 "%zu bytes of binary data", len), len);
          add_wide_row (group, l->data, text);
        }
    }
}

static char *
format_timestamp (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *age = NULL;
  g_autofree char *when = NULL;

  if (iso == NULL)
    return g_strdup ("");

  dt = g_date_time_new_from_iso8601 (iso, NULL);
  if (dt == NULL)
    return g_strdup (iso);

  local = g_date_time_to_local (dt);
  when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  age = ph_format_age (g_get_real_time () / G_USEC_PER_SEC - g_date_time_to_unix (dt));

  /* Translators: "2026-11-28 10:42:00 (5m ago)" */
  return g_strdup_printf (_("%s (%s ago)"), when, age);
}

/* A time an event happened, as the age its list shows, with the moment
 * itself on hover. */
static void
add_age_row (GtkWidget  *group,
             const char *title,
             const char *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *age = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  GtkWidget *row;
  GtkWidget *label;

  if (dt == NULL)
    return;

  local = g_date_time_to_local (dt);
  when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  age = ph_format_age (g_get_real_time () / G_USEC_PER_SEC - g_date_time_to_unix (dt));
  /* Translators: how long ago something happened: "5m ago" */
  text = g_strdup_printf (_("%s ago"), age);

  row = add_row (group, title, text);
  label = g_object_get_data (G_OBJECT (row), "ph-value-label");
  gtk_widget_set_tooltip_text (label, when);
}

static void
on_owner_activated (AdwActionRow *row)
{
  gtk_widget_activate_action (GTK_WIDGET (row), "win.go-to-object", "(ss)",
                              g_object_get_data (G_OBJECT (row), "ph-owner-kind"),
                              g_object_get_data (G_OBJECT (row), "ph-owner-name"));
}

static void
add_owner_rows (PhDetailsPane *self,
                JsonArray     *owners)
{
  GtkWidget *group;
  guint n;

  if (owners == NULL || (n = json_array_get_length (owners)) == 0)
    return;

  group = add_group (self, _("Owners"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *owner = json_array_get_object_element (owners, i);
      const char *kind = member_string (owner, "kind");
      const char *name = member_string (owner, "name");
      GtkWidget *row;

      if (kind == NULL || name == NULL)
        continue;

      row = add_row (group, kind, name);
      /* The link leads to the owner in its own list. */
      g_object_set_data_full (G_OBJECT (row), "ph-owner-kind", g_strdup (kind), g_free);
      g_object_set_data_full (G_OBJECT (row), "ph-owner-name", g_strdup (name), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_owner_activated), NULL);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
}

static void
add_condition_rows (PhDetailsPane *self,
                    JsonArray     *conditions)
{
  GtkWidget *group;
  guint n;

  if (conditions == NULL || (n = json_array_get_length (conditions)) == 0)
    return;

  group = add_group (self, _("Conditions"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *condition = json_array_get_object_element (conditions, i);
      const char *type = member_string (condition, "type");
      const char *status = member_string (condition, "status");
      const char *reason = member_string (condition, "reason");
      const char *message = member_string (condition, "message");
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (type == NULL)
        continue;

      if (reason != NULL && message != NULL)
        subtitle = g_strdup_printf ("%s: %s", reason, message);
      else
        subtitle = g_strdup (reason != NULL ? reason : message);

      row = add_wide_row (group, type, subtitle);
      add_status_suffix (row, status != NULL ? status : "", g_strcmp0 (status, "True") == 0);
    }
}

static char *
describe_container_state (JsonObject *state,
                          gboolean   *good)
{
  JsonObject *running = member_object (state, "running");
  JsonObject *waiting = member_object (state, "waiting");
  JsonObject *terminated = member_object (state, "terminated");

  *good = FALSE;
  if (running != NULL)
    {
      g_autofree char *since = format_timestamp (member_string (running, "startedAt"));

      *good = TRUE;
      return g_strdup_printf (_("Running since %s"), since);
    }
  if (waiting != NULL)
    {
      const char *reason = member_string (waiting, "reason");
      const char *message = member_string (waiting, "message");

      if (message != NULL)
        return g_strdup_printf (_("Waiting: %s — %s"), reason != NULL ? reason : "", message);
      return g_strdup_printf (_("Waiting: %s"), reason != NULL ? reason : "");
    }
  if (terminated != NULL)
    {
      const char *reason = member_string (terminated, "reason");
      JsonNode *code = json_object_get_member (terminated, "exitCode");

      return g_strdup_printf (_("Terminated: %s (exit code %lld)"),
                              reason != NULL ? reason : "",
                              (long long) (code != NULL && JSON_NODE_HOLDS_VALUE (code) ? json_node_get_int (code) : 0));
    }

  return g_strdup (_("Unknown"));
}

static void
add_container_rows (PhDetailsPane *self,
                    JsonArray     *statuses,
                    const char    *title)
{
  GtkWidget *group;
  guint n;

  if (statuses == NULL || (n = json_array_get_length (statuses)) == 0)
    return;

  group = add_group (self, title);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *cs = json_array_get_object_element (statuses, i);
      const char *name = member_string (cs, "name");
      const char *image = member_string (cs, "image");
      JsonNode *ready_node = json_object_get_member (cs, "ready");
      JsonNode *restarts_node = json_object_get_member (cs, "restartCount");
      gboolean ready = ready_node != NULL && JSON_NODE_HOLDS_VALUE (ready_node) && json_node_get_boolean (ready_node);
      gint64 restarts = restarts_node != NULL && JSON_NODE_HOLDS_VALUE (restarts_node) ? json_node_get_int (restarts_node) : 0;
      gboolean good;
      g_autofree char *state = describe_container_state (member_object (cs, "state"), &good);
      g_autofree char *subtitle = NULL;
      g_autofree char *restarts_text = NULL;
      GtkWidget *row;

      subtitle = g_strdup_printf ("%s\n%s", state, image != NULL ? image : "");
      row = add_wide_row (group, name != NULL ? name : "", subtitle);
      if (restarts > 0)
        {
          GtkWidget *label;

          restarts_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld restart",
                                                        "%lld restarts", restarts), (long long) restarts);
          label = gtk_label_new (restarts_text);
          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      add_status_suffix (row, ready ? _("Ready") : _("Not Ready"), ready && good);
    }
}

static void
add_event_rows (PhDetailsPane *self,
                JsonObject    *metadata,
                const char    *kind)
{
  g_autofree char *lower = g_ascii_strdown (kind != NULL ? kind : "", -1);
  g_autofree char *key = g_strdup_printf ("%s/%s", lower, member_string (metadata, "name"));
  const char *ns = member_string (metadata, "namespace");
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *group;
  guint n;

  if (self->events == NULL)
    return;

  group = add_group (self, _("Events"));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) event = g_list_model_get_item (G_LIST_MODEL (self->events), i);

      if (g_strcmp0 (ph_object_get_column (event, "object"), key) == 0 &&
          g_strcmp0 (ph_object_get_namespace (event), ns != NULL ? ns : "") == 0)
        g_ptr_array_add (matches, g_steal_pointer (&event));
    }

  self->n_events = matches->len;
  if (matches->len == 0)
    {
      add_row (group, ph_list_cache_get_state (self->events) == PH_CACHE_STATE_SYNCING ?
               _("Loading…") : _("No events"), "");
      return;
    }

  for (guint i = 0; i < matches->len && i < 20; i++)
    {
      PhObject *event = g_ptr_array_index (matches, matches->len - 1 - i);
      const char *type = ph_object_get_column (event, "type");
      g_autofree char *title = g_strdup_printf ("%s · %s", ph_object_get_column (event, "reason"),
                                                ph_object_get_column (event, "last-seen"));
      GtkWidget *row = add_wide_row (group, title, ph_object_get_column (event, "message"));

      add_status_suffix (row, type != NULL ? type : "", g_strcmp0 (type, "Normal") == 0);
    }
}

/* What `kubectl describe event` tells: what happened to which object, how
 * often, who saw it and when.  The message is read whole. */
static void
add_event_summary (PhDetailsPane *self,
                   JsonObject    *event)
{
  JsonObject *involved = member_object (event, "involvedObject");
  JsonObject *source = member_object (event, "source");
  JsonObject *series = member_object (event, "series");
  const char *type = member_string (event, "type");
  const char *reason = member_string (event, "reason");
  const char *message = member_string (event, "message");
  const char *kind = member_string (involved, "kind");
  const char *name = member_string (involved, "name");
  const char *ns = member_string (involved, "namespace");
  const char *component = member_string (event, "reportingComponent");
  const char *host = member_string (event, "reportingInstance");
  const char *first = member_string (event, "firstTimestamp");
  const char *last = member_string (event, "lastTimestamp");
  gint64 count = member_int (event, "count");
  GtkWidget *group = add_group (self, _("Event"));
  GtkWidget *row;

  /* Events written by the events.k8s.io API leave the core fields empty
   * and say the same in their own ones. */
  if (component == NULL || *component == '\0')
    component = member_string (source, "component");
  if (host == NULL || *host == '\0')
    host = member_string (source, "host");
  if (first == NULL)
    first = member_string (event, "eventTime");
  if (last == NULL)
    last = member_string (series, "lastObservedTime");
  if (last == NULL)
    last = first;
  if (series != NULL && member_int (series, "count") > count)
    count = member_int (series, "count");

  if (type != NULL)
    {
      row = add_row (group, _("Type"), "");
      add_status_suffix (row, type, g_str_equal (type, "Normal"));
    }
  if (reason != NULL)
    add_row (group, _("Reason"), reason);
  if (message != NULL)
    {
      row = add_wide_row (group, _("Message"), message);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  if (kind != NULL && name != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (kind, -1);
      g_autofree char *text = g_strdup_printf ("%s/%s", lower, name);

      row = add_row (group, _("Involved Object"), text);
      /* Like an owner, the object leads to itself in its list. */
      g_object_set_data_full (G_OBJECT (row), "ph-owner-kind", g_strdup (kind), g_free);
      g_object_set_data_full (G_OBJECT (row), "ph-owner-name", g_strdup (name), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_owner_activated), NULL);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
  if (ns != NULL && *ns != '\0')
    add_row (group, _("Object Namespace"), ns);
  if (count > 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);

      add_row (group, _("Count"), text);
    }
  if (component != NULL && *component != '\0')
    {
      g_autofree char *text = host != NULL && *host != '\0' ? g_strdup_printf ("%s, %s", component, host)
                                                            : g_strdup (component);

      add_row (group, _("Source"), text);
    }
  add_age_row (group, _("First Seen"), first);
  add_age_row (group, _("Last Seen"), last);
}

static void
add_pairs_group (PhDetailsPane *self,
                 const char    *title,
                 GStrv          pairs)
{
  GtkWidget *group;

  if (pairs == NULL || pairs[0] == NULL)
    return;

  group = add_group (self, title);
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    add_row (group, pairs[i], pairs[i + 1]);
}

/* What plugins add: the detail fields of declarative views of this kind,
 * and the native modules' sections that apply to it. */
static void
add_plugin_groups (PhDetailsPane *self,
                   JsonNode      *root,
                   const char    *kind)
{
  const char *api_version = member_string (json_node_get_object (root), "apiVersion");
  const char *slash = api_version != NULL ? strchr (api_version, '/') : NULL;
  g_autofree char *group = slash != NULL ? g_strndup (api_version, slash - api_version) : g_strdup ("");
  GPtrArray *views, *sections;

  if (self->plugin_loader == NULL || kind == NULL)
    return;

  views = ph_plugin_loader_get_views (self->plugin_loader);
  for (guint i = 0; i < views->len; i++)
    {
      PhPluginView *view = g_ptr_array_index (views, i);
      g_auto(GStrv) pairs = NULL;

      if (g_strcmp0 (ph_plugin_view_get_group (view), group) != 0 ||
          g_strcmp0 (ph_plugin_view_get_kind (view), kind) != 0)
        continue;

      pairs = ph_plugin_view_format_details (view, root);
      add_pairs_group (self, ph_plugin_view_get_title (view), pairs);
    }

  sections = ph_plugin_loader_get_detail_sections (self->plugin_loader);
  for (guint i = 0; i < sections->len; i++)
    {
      const PhPluginDetailSection *section = g_ptr_array_index (sections, i);
      GBytes *json = ph_object_get_json (self->object);
      g_auto(GStrv) pairs = NULL;
      gsize length = 0;
      const char *data;

      if (json == NULL || !ph_plugin_detail_section_applies_to (section, group, kind))
        continue;

      data = g_bytes_get_data (json, &length);
      pairs = ph_plugin_detail_section_render (section, data, length);
      add_pairs_group (self, ph_plugin_detail_section_get_title (section), pairs);
    }
}

/* A label selector as kubectl prints it: "app=web,tier in (a, b)". */
static char *
format_selector (JsonObject *selector)
{
  JsonObject *labels = member_object (selector, "matchLabels");
  JsonArray *expressions = member_array (selector, "matchExpressions");
  g_autoptr(GString) text = g_string_new (NULL);

  if (labels != NULL)
    {
      g_autoptr(GList) members = g_list_sort (json_object_get_members (labels), (GCompareFunc) g_strcmp0);

      for (const GList *l = members; l != NULL; l = l->next)
        g_string_append_printf (text, "%s%s=%s", text->len > 0 ? "," : "", (const char *) l->data,
                                member_string (labels, l->data) != NULL ? member_string (labels, l->data) : "");
    }

  for (guint i = 0; expressions != NULL && i < json_array_get_length (expressions); i++)
    {
      JsonObject *expression = json_array_get_object_element (expressions, i);
      const char *key = member_string (expression, "key");
      const char *op = member_string (expression, "operator");
      JsonArray *values = member_array (expression, "values");

      if (key == NULL || op == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ',');
      if (g_str_equal (op, "Exists"))
        g_string_append (text, key);
      else if (g_str_equal (op, "DoesNotExist"))
        g_string_append_printf (text, "!%s", key);
      else
        {
          g_string_append_printf (text, "%s %s (", key, g_str_equal (op, "NotIn") ? "notin" : "in");
          for (guint j = 0; values != NULL && j < json_array_get_length (values); j++)
            g_string_append_printf (text, "%s%s", j > 0 ? ", " : "", json_array_get_string_element (values, j));
          g_string_append_c (text, ')');
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What `kubectl describe deployment` leads with: how many replicas are
 * where, how it rolls out, and which pods it owns. */
static void
add_deployment_rows (GtkWidget  *group,
                     JsonObject *object)
{
  JsonObject *spec = member_object (object, "spec");
  JsonObject *status = member_object (object, "status");
  JsonObject *strategy = member_object (spec, "strategy");
  JsonObject *rolling = member_object (strategy, "rollingUpdate");
  const char *type = member_string (strategy, "type");
  g_autofree char *replicas = NULL;
  g_autofree char *selector = NULL;
  gint64 desired = spec != NULL && json_object_has_member (spec, "replicas") ? member_int (spec, "replicas") : 1;

  /* Translators: the replicas of a deployment, as kubectl describe lists them */
  replicas = g_strdup_printf (_("%lld desired · %lld updated · %lld ready · %lld available"),
                              (long long) desired, (long long) member_int (status, "updatedReplicas"),
                              (long long) member_int (status, "readyReplicas"),
                              (long long) member_int (status, "availableReplicas"));
  add_row_full (group, _("Replicas"), replicas, TRUE);

  if (type != NULL && g_str_equal (type, "RollingUpdate"))
    {
      g_autofree char *surge = member_int_or_string (rolling, "maxSurge");
      g_autofree char *unavailable = member_int_or_string (rolling, "maxUnavailable");
      /* Translators: a deployment's strategy; the defaults are 25% each */
      g_autofree char *text = g_strdup_printf (_("Rolling update (max surge %s, max unavailable %s)"),
                                               surge != NULL ? surge : "25%",
                                               unavailable != NULL ? unavailable : "25%");

      add_row_full (group, _("Strategy"), text, TRUE);
    }
  else if (type != NULL && g_str_equal (type, "Recreate"))
    add_row (group, _("Strategy"), _("Recreate"));
  else if (type != NULL)
    add_row (group, _("Strategy"), type);

  selector = format_selector (member_object (spec, "selector"));
  if (*selector != '\0')
    add_row_full (group, _("Selector"), selector, TRUE);
}

static void
mask_secret_data (JsonNode *root)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char * const maps[] = { "data", "stringData" };

  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      JsonObject *data = member_object (object, maps[m]);
      g_autoptr(GList) members = NULL;

      if (data == NULL)
        continue;

      members = json_object_get_members (data);
      for (const GList *l = members; l != NULL; l = l->next)
        json_object_set_string_member (data, l->data, "••••••••");
    }

  /* The last-applied annotation repeats the data in clear. */
  {
    JsonObject *annotations = member_object (member_object (object, "metadata"), "annotations");

    if (annotations != NULL && json_object_has_member (annotations, "kubectl.kubernetes.io/last-applied-configuration"))
      json_object_set_string_member (annotations, "kubectl.kubernetes.io/last-applied-configuration", "••••••••");
  }
}

static void
restore_scroll (GtkAdjustment *adjustment,
                double         value)
{
  gtk_adjustment_set_value (adjustment, MIN (value, gtk_adjustment_get_upper (adjustment) -
                                                    gtk_adjustment_get_page_size (adjustment)));
}

static gboolean
restore_scroll_idle (gpointer user_data)
{
  GtkAdjustment *adjustment = user_data;

  restore_scroll (adjustment, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (adjustment), "ph-saved-value")));
  return G_SOURCE_REMOVE;
}

static void
ph_details_pane_refresh (PhDetailsPane *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *yaml = NULL;
  JsonObject *object, *metadata, *status;
  const char *kind;
  gboolean is_secret;
  GtkWidget *child;
  GtkWidget *group;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_box))) != NULL)
    gtk_box_remove (self->summary_box, child);
  self->n_events = 0;

  /* Summary and YAML of nothing: nothing to switch between. */
  gtk_widget_set_sensitive (self->switcher, self->object != NULL);

  if (self->object == NULL)
    {
      gtk_stack_set_visible_child_name (self->outer_stack, "empty");
      gtk_label_set_label (self->title_label, NULL);
      g_clear_pointer (&self->yaml, g_free);
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->yaml_buffer), "", -1);
      return;
    }

  gtk_stack_set_visible_child_name (self->outer_stack, "object");
  gtk_label_set_label (self->title_label, ph_object_get_name (self->object));

  root = ph_object_parse (self->object, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      group = add_group (self, _("Error"));
      add_wide_row (group, _("Cannot read this object"), error != NULL ? error->message : "");
      return;
    }

  object = json_node_get_object (root);
  metadata = member_object (object, "metadata");
  status = member_object (object, "status");
  kind = member_string (object, "kind");
  if (kind == NULL)
    kind = ph_object_get_kind (self->object);
  is_secret = g_strcmp0 (kind, "Secret") == 0;

  /* Of an event, what happened matters before its bookkeeping. */
  if (g_strcmp0 (kind, "Event") == 0)
    {
      add_event_summary (self, object);
      group = add_group (self, _("Metadata"));
    }
  else
    group = add_group (self, kind != NULL ? kind : _("Object"));
  add_row (group, _("Name"), ph_object_get_name (self->object));
  if (*ph_object_get_namespace (self->object) != '\0')
    add_row (group, _("Namespace"), ph_object_get_namespace (self->object));
  if (ph_object_get_context (self->object) != NULL)
    add_row (group, _("Cluster"), ph_object_get_context (self->object));
  {
    g_autofree char *created = format_timestamp (member_string (metadata, "creationTimestamp"));

    add_row (group, _("Created"), created);
  }
  if (*ph_object_get_status (self->object) != '\0')
    add_row (group, _("Status"), ph_object_get_status (self->object));
  if (g_strcmp0 (kind, "Deployment") == 0)
    add_deployment_rows (group, object);
  if (member_string (status, "podIP") != NULL)
    add_row (group, _("Pod IP"), member_string (status, "podIP"));
  if (*ph_object_get_node (self->object) != '\0')
    add_row (group, _("Node"), ph_object_get_node (self->object));
  add_row (group, _("UID"), ph_object_get_uid (self->object));
  add_row (group, _("Resource Version"), ph_object_get_resource_version (self->object));

  add_map_group (self, member_object (metadata, "labels"), _("Labels"));
  if (!is_secret)
    add_map_group (self, member_object (metadata, "annotations"), _("Annotations"));
  add_owner_rows (self, member_array (metadata, "ownerReferences"));
  add_condition_rows (self, member_array (status, "conditions"));
  add_container_rows (self, member_array (status, "initContainerStatuses"), _("Init Containers"));
  add_container_rows (self, member_array (status, "containerStatuses"), _("Containers"));
  /* Plugins would see a Secret's values: only once the user asked. */
  if (!is_secret || self->reveal_secrets)
    add_plugin_groups (self, root, kind);
  if (is_secret)
    add_secret_group (self, member_object (object, "data"));
  else if (g_strcmp0 (kind, "ConfigMap") == 0)
    add_map_group (self, member_object (object, "data"), _("Data"));
  if (g_strcmp0 (kind, "Event") != 0)
    add_event_rows (self, metadata, kind);

  if (is_secret && !self->reveal_secrets)
    mask_secret_data (root);

  /* Like kubectl, leave out the server's bookkeeping of field owners. */
  if (metadata != NULL && json_object_has_member (metadata, "managedFields"))
    json_object_remove_member (metadata, "managedFields");

  yaml = ph_json_to_yaml (root, &error);
  if (yaml == NULL)
    yaml = g_strdup_printf ("# %s\n", error->message);

  if (g_strcmp0 (yaml, self->yaml) != 0)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->yaml_scroller);
      double value = gtk_adjustment_get_value (adjustment);

      /* A live update keeps the reader where they were in the text. */
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->yaml_buffer), yaml, -1);
      g_object_set_data (G_OBJECT (adjustment), "ph-saved-value", GINT_TO_POINTER ((int) value));
      g_idle_add_full (G_PRIORITY_LOW, restore_scroll_idle, g_object_ref (adjustment), g_object_unref);
      g_free (self->yaml);
      self->yaml = g_steal_pointer (&yaml);
    }
}

static gboolean
refresh_cb (gpointer user_data)
{
  PhDetailsPane *self = user_data;

  self->refresh_id = 0;
  ph_details_pane_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (PhDetailsPane *self)
{
  /* A pod under churn changes several times a second; the summary is
   * rebuilt at most every quarter second. */
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (250, refresh_cb, self);
}

static void
release_events (PhDetailsPane *self)
{
  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->events, queue_refresh, self);
      ph_watch_hub_release (self->events_hub, self->events);
      g_clear_object (&self->events);
    }
  g_clear_object (&self->events_hub);
}

void
ph_details_pane_set_object (PhDetailsPane *self,
                            PhObject      *object,
                            PhWatchHub    *hub,
                            PhCluster     *cluster)
{
  gboolean same_object;

  g_return_if_fail (PH_IS_DETAILS_PANE (self));
  g_return_if_fail (object == NULL || PH_IS_OBJECT (object));

  same_object = object == self->object;

  if (self->object != NULL)
    g_signal_handlers_disconnect_by_func (self->object, queue_refresh, self);
  g_set_object (&self->object, object);
  if (!same_object)
    self->reveal_secrets = FALSE;

  release_events (self);
  if (object != NULL)
    {
      g_signal_connect_object (object, "notify::resource-version", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);

      if (hub != NULL && cluster != NULL && g_strcmp0 (ph_object_get_kind (object), "Event") != 0)
        {
          const char *ns = ph_object_get_namespace (object);
          g_autoptr(PhQuery) query = ph_query_new (cluster, "", "v1", "events", *ns != '\0' ? ns : NULL, NULL, NULL);

          self->events_hub = g_object_ref (hub);
          self->events = ph_watch_hub_acquire (hub, query);
          g_signal_connect_object (self->events, "items-changed", G_CALLBACK (queue_refresh), self, G_CONNECT_SWAPPED);
        }
    }

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  ph_details_pane_refresh (self);

  /* Keeping the reader's place is for live updates of one object: another
   * object is read from its top. */
  if (!same_object)
    {
      GtkAdjustment *summary = gtk_scrolled_window_get_vadjustment (self->summary_scroller);
      GtkAdjustment *yaml = gtk_scrolled_window_get_vadjustment (self->yaml_scroller);

      gtk_adjustment_set_value (summary, gtk_adjustment_get_lower (summary));
      gtk_adjustment_set_value (yaml, gtk_adjustment_get_lower (yaml));
      /* A restore still queued by the refresh above goes there too. */
      g_object_set_data (G_OBJECT (yaml), "ph-saved-value", GINT_TO_POINTER (0));
    }
}

PhObject *
ph_details_pane_get_object (PhDetailsPane *self)
{
  g_return_val_if_fail (PH_IS_DETAILS_PANE (self), NULL);

  return self->object;
}

guint
ph_details_pane_get_n_events (PhDetailsPane *self)
{
  g_return_val_if_fail (PH_IS_DETAILS_PANE (self), 0);

  return self->n_events;
}

char *
ph_details_pane_dup_yaml (PhDetailsPane *self)
{
  g_return_val_if_fail (PH_IS_DETAILS_PANE (self), NULL);

  return g_strdup (self->yaml);
}

void
ph_details_pane_show_page (PhDetailsPane *self,
                           const char    *page)
{
  g_return_if_fail (PH_IS_DETAILS_PANE (self));

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_scheme (PhDetailsPane *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme =
    gtk_source_style_scheme_manager_get_scheme (schemes, adw_style_manager_get_dark (style) ? "Adwaita-dark" : "Adwaita");

  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (self->yaml_buffer, scheme);
}

static void
ph_details_pane_dispose (GObject *object)
{
  PhDetailsPane *self = PH_DETAILS_PANE (object);
  GtkWidget *child;

  release_events (self);
  if (self->object != NULL)
    g_signal_handlers_disconnect_by_func (self->object, queue_refresh, self);
  g_clear_object (&self->object);
  g_clear_object (&self->plugin_loader);
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_DETAILS_PANE);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ph_details_pane_parent_class)->dispose (object);
}

static void
ph_details_pane_finalize (GObject *object)
{
  PhDetailsPane *self = PH_DETAILS_PANE (object);

  g_free (self->yaml);

  G_OBJECT_CLASS (ph_details_pane_parent_class)->finalize (object);
}

static void
ph_details_pane_class_init (PhDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_details_pane_dispose;
  object_class->finalize = ph_details_pane_finalize;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_BUFFER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, outer_stack);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, stack);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, switcher);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, summary_scroller);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, summary_box);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, yaml_scroller);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, yaml_view);
  gtk_widget_class_bind_template_child (widget_class, PhDetailsPane, yaml_buffer);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ph-details-pane");
}

static void
ph_details_pane_init (PhDetailsPane *self)
{
  GtkSourceLanguageManager *languages;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  languages = gtk_source_language_manager_get_default ();
  gtk_source_buffer_set_language (self->yaml_buffer, gtk_source_language_manager_get_language (languages, "yaml"));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);
}

void
ph_details_pane_set_plugin_loader (PhDetailsPane  *self,
                                   PhPluginLoader *loader)
{
  g_return_if_fail (PH_IS_DETAILS_PANE (self));
  g_return_if_fail (loader == NULL || PH_IS_PLUGIN_LOADER (loader));

  if (!g_set_object (&self->plugin_loader, loader))
    return;

  ph_details_pane_refresh (self);
}
