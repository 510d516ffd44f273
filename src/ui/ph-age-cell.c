/* ph-age-cell.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-age-cell.h"

struct _PhAgeCell
{
  GtkWidget       parent_instance;

  GtkInscription *inscription;
  gint64          timestamp;
  char           *text;
};

G_DEFINE_FINAL_TYPE (PhAgeCell, ph_age_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TIMESTAMP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Every mapped age cell of the process, refreshed by one timer: a list of
 * thousands of rows must not run a timer per row. */
/* Widgets on screen that show an age → what moves them on. */
static GHashTable *ticking;
static guint tick_id;

char *
ph_format_age (gint64 seconds)
{
  gint64 minutes, hours, days, years;

  if (seconds < 0)
    seconds = 0;

  minutes = seconds / 60;
  hours = seconds / 3600;
  days = hours / 24;
  years = days / 365;

  if (seconds < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
  if (minutes < 10)
    {
      gint64 s = seconds % 60;

      if (s == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "m", minutes);
      return g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s", minutes, s);
    }
  if (minutes < 180)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", minutes);
  if (hours < 8)
    {
      gint64 m = minutes % 60;

      if (m == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "h", hours);
      return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m", hours, m);
    }
  if (hours < 48)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", hours);
  if (hours < 192)
    {
      gint64 h = hours % 24;

      if (h == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "d", days);
      return g_strdup_printf ("%" G_GINT64_FORMAT "d%" G_GINT64_FORMAT "h", days, h);
    }
  if (days < 365 * 2)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d", days);
  if (years < 8)
    {
      gint64 d = days % 365;

      if (d == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "y", years);
      return g_strdup_printf ("%" G_GINT64_FORMAT "y%" G_GINT64_FORMAT "d", years, d);
    }

  return g_strdup_printf ("%" G_GINT64_FORMAT "y", years);
}

static void
ph_age_cell_update (PhAgeCell *self,
                    gint64     now)
{
  g_autofree char *text = NULL;

  if (self->timestamp > 0)
    text = ph_format_age (now - self->timestamp);

  /* Most ticks change nothing visible (ages past two minutes move
   * slowly): only touch the inscription when the text differs. */
  if (g_strcmp0 (text, self->text) == 0)
    return;

  g_free (self->text);
  self->text = g_steal_pointer (&text);
  gtk_inscription_set_text (self->inscription, self->text);
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, ticking);
  while (g_hash_table_iter_next (&iter, &key, &value))
    ((PhAgeTickFunc) value) (key, now);

  return G_SOURCE_CONTINUE;
}

void
ph_age_tick_add (GtkWidget     *widget,
                 PhAgeTickFunc  func)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  if (ticking == NULL)
    ticking = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (ticking, widget, func);
  if (tick_id == 0)
    tick_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 1, tick_cb, NULL, NULL);
}

void
ph_age_tick_remove (GtkWidget *widget)
{
  if (ticking != NULL && g_hash_table_remove (ticking, widget) && g_hash_table_size (ticking) == 0)
    g_clear_handle_id (&tick_id, g_source_remove);
}

static void
age_cell_tick (GtkWidget *widget,
               gint64     now)
{
  ph_age_cell_update (PH_AGE_CELL (widget), now);
}

static void
ph_age_cell_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ph_age_cell_parent_class)->map (widget);

  ph_age_tick_add (widget, age_cell_tick);
  ph_age_cell_update (PH_AGE_CELL (widget), g_get_real_time () / G_USEC_PER_SEC);
}

static void
ph_age_cell_unmap (GtkWidget *widget)
{
  ph_age_tick_remove (widget);

  GTK_WIDGET_CLASS (ph_age_cell_parent_class)->unmap (widget);
}

static void
ph_age_cell_dispose (GObject *object)
{
  PhAgeCell *self = PH_AGE_CELL (object);

  if (self->inscription != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->inscription));
      self->inscription = NULL;
    }

  G_OBJECT_CLASS (ph_age_cell_parent_class)->dispose (object);
}

static void
ph_age_cell_finalize (GObject *object)
{
  PhAgeCell *self = PH_AGE_CELL (object);

  g_free (self->text);

  G_OBJECT_CLASS (ph_age_cell_parent_class)->finalize (object);
}

static void
ph_age_cell_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PhAgeCell *self = PH_AGE_CELL (object);

  switch (prop_id)
    {
    case PROP_TIMESTAMP:
      g_value_set_int64 (value, self->timestamp);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_age_cell_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PhAgeCell *self = PH_AGE_CELL (object);

  switch (prop_id)
    {
    case PROP_TIMESTAMP:
      ph_age_cell_set_timestamp (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_age_cell_class_init (PhAgeCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_age_cell_dispose;
  object_class->finalize = ph_age_cell_finalize;
  object_class->get_property = ph_age_cell_get_property;
  object_class->set_property = ph_age_cell_set_property;

  widget_class->map = ph_age_cell_map;
  widget_class->unmap = ph_age_cell_unmap;

  properties[PROP_TIMESTAMP] =
    g_param_spec_int64 ("timestamp", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ph-age-cell");
}

static void
ph_age_cell_init (PhAgeCell *self)
{
  self->inscription = GTK_INSCRIPTION (gtk_inscription_new (NULL));
  gtk_inscription_set_min_chars (self->inscription, 3);
  gtk_inscription_set_nat_chars (self->inscription, 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->inscription), "numeric");
  gtk_widget_set_parent (GTK_WIDGET (self->inscription), GTK_WIDGET (self));
}

GtkWidget *
ph_age_cell_new (void)
{
  return g_object_new (PH_TYPE_AGE_CELL, NULL);
}

gint64
ph_age_cell_get_timestamp (PhAgeCell *self)
{
  g_return_val_if_fail (PH_IS_AGE_CELL (self), 0);

  return self->timestamp;
}

const char *
ph_age_cell_get_text (PhAgeCell *self)
{
  g_return_val_if_fail (PH_IS_AGE_CELL (self), NULL);

  return self->text;
}

void
ph_age_cell_set_timestamp (PhAgeCell *self,
                           gint64     timestamp)
{
  g_return_if_fail (PH_IS_AGE_CELL (self));

  if (self->timestamp == timestamp)
    return;

  self->timestamp = timestamp;
  ph_age_cell_update (self, g_get_real_time () / G_USEC_PER_SEC);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTAMP]);
}
