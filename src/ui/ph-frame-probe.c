/* ph-frame-probe.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-frame-probe.h"

typedef struct
{
  gint64 start;
  gint64 interval;
  gint64 paint;
} Frame;

typedef struct
{
  char   *name;
  gint64  time;
} Mark;

struct _PhFrameProbe
{
  GObject        parent_instance;

  char          *path;
  GArray        *frames;
  GArray        *marks;
  GdkFrameClock *clock;
  gulong         before_paint_id;
  gulong         after_paint_id;
  gint64         paint_start;
  gint64         last_frame_end;
  gint64         last_frame_counter;
};

G_DEFINE_FINAL_TYPE (PhFrameProbe, ph_frame_probe, G_TYPE_OBJECT)

static void
clear_mark (gpointer data)
{
  Mark *mark = data;

  g_free (mark->name);
}

static void
ph_frame_probe_detach (PhFrameProbe *self)
{
  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->before_paint_id, self->clock);
      g_clear_signal_handler (&self->after_paint_id, self->clock);
      g_clear_object (&self->clock);
    }
}

static void
ph_frame_probe_dispose (GObject *object)
{
  ph_frame_probe_detach (PH_FRAME_PROBE (object));

  G_OBJECT_CLASS (ph_frame_probe_parent_class)->dispose (object);
}

static void
ph_frame_probe_finalize (GObject *object)
{
  PhFrameProbe *self = PH_FRAME_PROBE (object);

  g_free (self->path);
  g_array_unref (self->frames);
  g_array_unref (self->marks);

  G_OBJECT_CLASS (ph_frame_probe_parent_class)->finalize (object);
}

static void
ph_frame_probe_class_init (PhFrameProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ph_frame_probe_dispose;
  object_class->finalize = ph_frame_probe_finalize;
}

static void
ph_frame_probe_init (PhFrameProbe *self)
{
  self->frames = g_array_sized_new (FALSE, FALSE, sizeof (Frame), 4096);
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_array_set_clear_func (self->marks, clear_mark);
}

PhFrameProbe *
ph_frame_probe_new (const char *path)
{
  PhFrameProbe *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PH_TYPE_FRAME_PROBE, NULL);
  self->path = g_strdup (path);

  return self;
}

const char *
ph_frame_probe_get_path (PhFrameProbe *self)
{
  g_return_val_if_fail (PH_IS_FRAME_PROBE (self), NULL);

  return self->path;
}

static void
on_before_paint (GdkFrameClock *clock,
                 PhFrameProbe  *self)
{
  self->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                PhFrameProbe  *self)
{
  gint64 counter = gdk_frame_clock_get_frame_counter (clock);
  gint64 now = g_get_monotonic_time ();
  Frame frame = { 0, };

  /* The start of a frame is the end of the previous one's paint plus the
   * main-loop work in between: what a user perceives as the frame time is
   * the distance between two consecutive frames, so that is what counts. */
  frame.start = self->paint_start != 0 ? self->paint_start : now;
  frame.paint = now - frame.start;
  if (self->last_frame_end != 0 && counter == self->last_frame_counter + 1)
    frame.interval = now - self->last_frame_end;

  self->last_frame_end = now;
  self->last_frame_counter = counter;
  self->paint_start = 0;

  g_array_append_val (self->frames, frame);
}

static void
on_realize (GtkWidget    *widget,
            PhFrameProbe *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock == NULL || clock == self->clock)
    return;

  ph_frame_probe_detach (self);
  self->clock = g_object_ref (clock);
  self->before_paint_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), self);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

void
ph_frame_probe_attach (PhFrameProbe *self,
                       GtkWidget    *widget)
{
  g_return_if_fail (PH_IS_FRAME_PROBE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_signal_connect_object (widget, "realize", G_CALLBACK (on_realize), self, 0);
  if (gtk_widget_get_realized (widget))
    on_realize (widget, self);

  /* An idle window draws no frames, and the gaps between its frames say
   * nothing.  While profiling, the clock runs continuously so that every
   * stall of the main loop shows up as a long frame. */
  gtk_widget_add_tick_callback (widget, keep_ticking, NULL, NULL);
}

void
ph_frame_probe_mark (PhFrameProbe *self,
                     const char   *name)
{
  Mark mark;

  g_return_if_fail (PH_IS_FRAME_PROBE (self));
  g_return_if_fail (name != NULL);

  for (guint i = 0; i < self->marks->len; i++)
    {
      if (g_str_equal (g_array_index (self->marks, Mark, i).name, name))
        return;
    }

  mark.name = g_strdup (name);
  mark.time = g_get_monotonic_time ();
  g_array_append_val (self->marks, mark);
}

guint
ph_frame_probe_get_n_frames (PhFrameProbe *self)
{
  g_return_val_if_fail (PH_IS_FRAME_PROBE (self), 0);

  return self->frames->len;
}

gboolean
ph_frame_probe_write (PhFrameProbe  *self,
                      GError       **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (PH_IS_FRAME_PROBE (self), FALSE);

  out = g_string_sized_new (64 + self->frames->len * 32);
  for (guint i = 0; i < self->marks->len; i++)
    {
      const Mark *mark = &g_array_index (self->marks, Mark, i);

      g_string_append_printf (out, "mark %s %" G_GINT64_FORMAT "\n", mark->name, mark->time);
    }
  for (guint i = 0; i < self->frames->len; i++)
    {
      const Frame *frame = &g_array_index (self->frames, Frame, i);

      g_string_append_printf (out, "frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              frame->start, frame->interval, frame->paint);
    }

  return g_file_set_contents (self->path, out->str, out->len, error);
}
