/* ph-overview.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "ph-cluster.h"
#include "ph-list-cache.h"
#include "ph-object.h"
#include "ph-overview.h"
#include "ph-query.h"
#include "ph-watch-hub.h"

typedef enum {
  SOURCE_NODES,
  SOURCE_PODS,
  SOURCE_DEPLOYMENTS,
  SOURCE_SERVICES,
  SOURCE_NAMESPACES,
  SOURCE_EVENTS,
  N_SOURCES
} Source;

static const struct {
  const char *group;
  const char *resource;
} sources[N_SOURCES] = {
  { "", "nodes" },
  { "", "pods" },
  { "apps", "deployments" },
  { "", "services" },
  { "", "namespaces" },
  { "", "events" },
};

typedef enum {
  STAT_NODES_READY,
  STAT_PODS,
  STAT_RUNNING,
  STAT_PENDING,
  STAT_FAILING,
  STAT_DEPLOYMENTS,
  STAT_SERVICES,
  STAT_NAMESPACES,
  STAT_WARNINGS,
  N_STATS
} Stat;

static const struct {
  const char *id;
  const char *title;
  const char *style;
} stats[N_STATS] = {
  { "nodes-ready", N_("Nodes Ready"), NULL },
  { "pods", N_("Pods"), NULL },
  { "running", N_("Running"), "success" },
  { "pending", N_("Pending"), "warning" },
  { "failing", N_("Failing"), "error" },
  { "deployments", N_("Deployments"), NULL },
  { "services", N_("Services"), NULL },
  { "namespaces", N_("Namespaces"), NULL },
  { "warnings", N_("Warning Events"), "warning" },
};

typedef struct
{
  PhCluster   *cluster;
  PhListCache *caches[N_SOURCES];
  GtkLabel    *values[N_STATS];
  GtkLabel    *state_label;
} ClusterCard;

struct _PhOverview
{
  GtkWidget   parent_instance;

  PhWatchHub *hub;
  GPtrArray  *clusters;
  GPtrArray  *cards;
  guint       tick_id;

  GtkStack   *stack;
  GtkBox     *clusters_box;
};

G_DEFINE_FINAL_TYPE (PhOverview, ph_overview, GTK_TYPE_WIDGET)

static void
card_release (ClusterCard *card,
              PhWatchHub  *hub)
{
  for (guint i = 0; i < N_SOURCES; i++)
    {
      if (card->caches[i] != NULL)
        {
          if (hub != NULL)
            ph_watch_hub_release (hub, card->caches[i]);
          g_clear_object (&card->caches[i]);
        }
    }
}

static void
card_free (gpointer data)
{
  ClusterCard *card = data;

  g_clear_object (&card->cluster);
  g_free (card);
}

static void
release_all (PhOverview *self)
{
  for (guint i = 0; self->cards != NULL && i < self->cards->len; i++)
    card_release (g_ptr_array_index (self->cards, i), self->hub);
}

static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static void
card_update (ClusterCard *card)
{
  guint counts[N_STATS] = { 0, };
  guint nodes = 0;
  gboolean any_loading = FALSE;

  for (guint i = 0; i < N_SOURCES; i++)
    if (card->caches[i] != NULL && ph_list_cache_get_state (card->caches[i]) == PH_CACHE_STATE_SYNCING)
      any_loading = TRUE;

  if (card->caches[SOURCE_NODES] != NULL)
    {
      GListModel *model = G_LIST_MODEL (card->caches[SOURCE_NODES]);

      nodes = g_list_model_get_n_items (model);
      for (guint i = 0; i < nodes; i++)
        {
          g_autoptr(PhObject) node = g_list_model_get_item (model, i);

          if (g_str_has_prefix (ph_object_get_status (node), "Ready"))
            counts[STAT_NODES_READY]++;
        }
    }

  if (card->caches[SOURCE_PODS] != NULL)
    {
      GListModel *model = G_LIST_MODEL (card->caches[SOURCE_PODS]);
      guint n = g_list_model_get_n_items (model);

      counts[STAT_PODS] = n;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PhObject) pod = g_list_model_get_item (model, i);
          const char *status = ph_object_get_status (pod);

          if (g_str_equal (status, "Running"))
            counts[STAT_RUNNING]++;
          else if (g_str_equal (status, "Pending") || g_str_equal (status, "ContainerCreating") ||
                   g_str_has_prefix (status, "Init:") || g_str_equal (status, "PodInitializing"))
            counts[STAT_PENDING]++;
          else if (!g_str_equal (status, "Succeeded") && !g_str_equal (status, "Completed") &&
                   !g_str_equal (status, "Terminating"))
            counts[STAT_FAILING]++;
        }
    }

  if (card->caches[SOURCE_DEPLOYMENTS] != NULL)
    counts[STAT_DEPLOYMENTS] = g_list_model_get_n_items (G_LIST_MODEL (card->caches[SOURCE_DEPLOYMENTS]));
  if (card->caches[SOURCE_SERVICES] != NULL)
    counts[STAT_SERVICES] = g_list_model_get_n_items (G_LIST_MODEL (card->caches[SOURCE_SERVICES]));
  if (card->caches[SOURCE_NAMESPACES] != NULL)
    counts[STAT_NAMESPACES] = g_list_model_get_n_items (G_LIST_MODEL (card->caches[SOURCE_NAMESPACES]));

  if (card->caches[SOURCE_EVENTS] != NULL)
    {
      GListModel *model = G_LIST_MODEL (card->caches[SOURCE_EVENTS]);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PhObject) event = g_list_model_get_item (model, i);

          if (g_strcmp0 (ph_object_get_column (event, "type"), "Warning") == 0)
            counts[STAT_WARNINGS]++;
        }
    }

  for (guint i = 0; i < N_STATS; i++)
    {
      g_autofree char *text = NULL;

      if (i == STAT_NODES_READY)
        text = g_strdup_printf ("%u / %u", counts[i], nodes);
      else
        text = format_count (counts[i]);

      if (g_strcmp0 (gtk_label_get_label (card->values[i]), text) != 0)
        {
          gtk_label_set_label (card->values[i], text);
          /* In case a huge cluster's number does not fit its tile. */
          gtk_widget_set_tooltip_text (GTK_WIDGET (card->values[i]), text);
        }

      /* "0 Pending" is good news: only a count that is there is coloured. */
      if (stats[i].style != NULL)
        {
          if (counts[i] > 0)
            gtk_widget_add_css_class (GTK_WIDGET (card->values[i]), stats[i].style);
          else
            gtk_widget_remove_css_class (GTK_WIDGET (card->values[i]), stats[i].style);
        }
    }

  gtk_label_set_label (card->state_label, any_loading ? _("Loading…") : NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  PhOverview *self = user_data;

  for (guint i = 0; i < self->cards->len; i++)
    card_update (g_ptr_array_index (self->cards, i));

  return G_SOURCE_CONTINUE;
}

static void
acquire_all (PhOverview *self)
{
  if (self->hub == NULL)
    return;

  for (guint i = 0; i < self->cards->len; i++)
    {
      ClusterCard *card = g_ptr_array_index (self->cards, i);

      for (guint s = 0; s < N_SOURCES; s++)
        {
          g_autoptr(PhQuery) query = NULL;

          if (card->caches[s] != NULL)
            continue;
          query = ph_query_new (card->cluster, sources[s].group, "v1", sources[s].resource, NULL, NULL, NULL);
          card->caches[s] = ph_watch_hub_acquire (self->hub, query);
        }
      card_update (card);
    }
}

static GtkWidget *
create_tile (ClusterCard *card,
             Stat         stat)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *value = gtk_label_new ("–");
  GtkWidget *title = gtk_label_new (_(stats[stat].title));

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "ph-stat-tile");
  gtk_widget_add_css_class (value, "title-1");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (title, "dim-label");
  /* The tiles of a flow box are as wide as its widest: sized by their
   * numbers, a cluster with 50,000 pods would get fewer per row than one
   * with 40.  Every number gets the same room instead (style.css), and
   * asks for no more. */
  gtk_widget_add_css_class (value, "ph-stat-value");
  gtk_label_set_max_width_chars (GTK_LABEL (value), 1);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), title);
  card->values[stat] = GTK_LABEL (value);

  return box;
}

static void
rebuild (PhOverview *self)
{
  GtkWidget *child;

  release_all (self);
  g_ptr_array_set_size (self->cards, 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->clusters_box))) != NULL)
    gtk_box_remove (self->clusters_box, child);

  for (guint i = 0; self->clusters != NULL && i < self->clusters->len; i++)
    {
      PhCluster *cluster = g_ptr_array_index (self->clusters, i);
      ClusterCard *card = g_new0 (ClusterCard, 1);
      GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name = gtk_label_new (ph_cluster_get_context_name (cluster));
      GtkWidget *server = gtk_label_new (ph_cluster_get_server (cluster));
      GtkWidget *state = gtk_label_new (NULL);
      GtkWidget *flow = gtk_flow_box_new ();

      card->cluster = g_object_ref (cluster);
      card->state_label = GTK_LABEL (state);

      gtk_widget_add_css_class (name, "title-2");
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (server, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (server), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_hexpand (server, TRUE);
      gtk_label_set_xalign (GTK_LABEL (server), 0);
      gtk_widget_set_valign (server, GTK_ALIGN_BASELINE);
      gtk_widget_set_valign (name, GTK_ALIGN_BASELINE);
      gtk_widget_add_css_class (state, "dim-label");
      gtk_box_append (GTK_BOX (header), name);
      gtk_box_append (GTK_BOX (header), server);
      gtk_box_append (GTK_BOX (header), state);

      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
      gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 2);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 5);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 12);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
      for (guint s = 0; s < N_STATS; s++)
        gtk_flow_box_append (GTK_FLOW_BOX (flow), create_tile (card, s));

      gtk_box_append (GTK_BOX (section), header);
      gtk_box_append (GTK_BOX (section), flow);
      gtk_box_append (self->clusters_box, section);
      g_ptr_array_add (self->cards, card);
    }

  gtk_stack_set_visible_child_name (self->stack, self->cards->len > 0 ? "clusters" : "empty");

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    acquire_all (self);
}

void
ph_overview_set_target (PhOverview *self,
                        PhWatchHub *hub,
                        GPtrArray  *clusters)
{
  g_return_if_fail (PH_IS_OVERVIEW (self));

  release_all (self);
  g_set_object (&self->hub, hub);
  g_clear_pointer (&self->clusters, g_ptr_array_unref);
  if (clusters != NULL)
    self->clusters = g_ptr_array_ref (clusters);

  rebuild (self);
}

char *
ph_overview_dup_stat (PhOverview *self,
                      const char *context,
                      const char *stat)
{
  g_return_val_if_fail (PH_IS_OVERVIEW (self), NULL);

  for (guint i = 0; i < self->cards->len; i++)
    {
      ClusterCard *card = g_ptr_array_index (self->cards, i);

      if (!g_str_equal (ph_cluster_get_context_name (card->cluster), context))
        continue;

      card_update (card);
      for (guint s = 0; s < N_STATS; s++)
        if (g_str_equal (stats[s].id, stat))
          return g_strdup (gtk_label_get_label (card->values[s]));
    }

  return NULL;
}

static void
ph_overview_map (GtkWidget *widget)
{
  PhOverview *self = PH_OVERVIEW (widget);

  GTK_WIDGET_CLASS (ph_overview_parent_class)->map (widget);

  acquire_all (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
ph_overview_unmap (GtkWidget *widget)
{
  PhOverview *self = PH_OVERVIEW (widget);

  /* Counting 50,000 pods is only worth it while someone looks. */
  g_clear_handle_id (&self->tick_id, g_source_remove);
  release_all (self);

  GTK_WIDGET_CLASS (ph_overview_parent_class)->unmap (widget);
}

static void
ph_overview_dispose (GObject *object)
{
  PhOverview *self = PH_OVERVIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  release_all (self);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->clusters, g_ptr_array_unref);
  g_clear_object (&self->hub);

  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_OVERVIEW);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ph_overview_parent_class)->dispose (object);
}

static void
ph_overview_class_init (PhOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_overview_dispose;
  widget_class->map = ph_overview_map;
  widget_class->unmap = ph_overview_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, PhOverview, stack);
  gtk_widget_class_bind_template_child (widget_class, PhOverview, clusters_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ph_overview_init (PhOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cards = g_ptr_array_new_with_free_func (card_free);
}
