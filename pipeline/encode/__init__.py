"""Encoders for orientation sequences: frames in, one file at the given path out.

- ``load_frames(paths, settings) -> Frames`` (``frames.py``): checked, decoded once.
- ``encode_gif(frames, dest, settings)`` (``gif.py``).
- ``encode_video(frames, dest, settings, codec)`` with codec "mp4" or "webm" (``video.py``).
- ``write_thumbnail(frame, dest, settings)`` (``thumbs.py``).

Failures raise ``FrameError`` (a bad input file, named) or ``EncodeError`` (an encoder
failed; the message includes the tool's last output lines).
"""

from pipeline.encode.frames import (FrameError, FrameInfo, Frames, check_frame_info, load_frames,
                                    read_frame_info)
from pipeline.encode.gif import encode_gif
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.thumbs import write_thumbnail, write_thumbnails
from pipeline.encode.tools import EncodeError, find_ffmpeg, find_gifsicle
from pipeline.encode.video import encode_video

__all__ = [
    "EncodeError", "EncodeSettings", "FrameError", "FrameInfo", "Frames", "check_frame_info",
    "encode_gif", "encode_video", "find_ffmpeg", "find_gifsicle", "load_frames",
    "read_frame_info", "write_thumbnail", "write_thumbnails",
]
