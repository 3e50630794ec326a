"""Encoders for orientation sequences: frames in, one file at the given path out.

- ``kinds.py``: the output-kind registry, one entry per kind (naming, settings, versions and sources that shape
  its bytes, the encoder by name); the build reads it and imports an encoder only to write an output.
- ``load_frames(paths, settings) -> Frames`` (``frames.py``): checked, decoded once.
- ``encode_gif(frames, dest, settings)`` (``gif.py``).
- ``encode_video(frames, dest, settings, codec)`` with codec "mp4" or "webm" (``video.py``).
- ``write_thumbnail(frame, dest, settings)`` (``thumbs.py``).
- ``settings.py`` (``EncodeSettings``) and ``tools.py`` (finding and running gifsicle and ffmpeg).

Failures raise ``FrameError`` (a bad input file, named) or ``EncodeError`` (an encoder
failed; the message includes the tool's last output lines).

May import: numpy, Pillow, imagequant (in the encoder modules only, never in ``kinds``, ``settings`` or this
package's ``__init__``), ``pipeline.content`` (the PNG header reader, the site's output names). Never
``pipeline.build``, ``pipeline.lint`` or ``pipeline.cli``.
"""

from importlib import import_module

# Names resolve on first use: importing the settings (every command does, through the configuration) must not
# load numpy, Pillow and imagequant.
_WHERE = {
    "FrameError": "frames", "FrameInfo": "frames", "Frames": "frames", "check_frame_info": "frames",
    "load_frames": "frames", "read_frame_info": "frames", "encode_gif": "gif", "EncodeSettings": "settings",
    "write_thumbnail": "thumbs", "write_thumbnails": "thumbs", "EncodeError": "tools", "find_ffmpeg": "tools",
    "find_gifsicle": "tools", "encode_video": "video",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EncodeError", "EncodeSettings", "FrameError", "FrameInfo", "Frames", "check_frame_info",
    "encode_gif", "encode_video", "find_ffmpeg", "find_gifsicle", "load_frames",
    "read_frame_info", "write_thumbnail", "write_thumbnails",
]
