"""Recognition service: finds objects in images with an Ultralytics YOLO model."""
