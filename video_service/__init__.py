"""Video service: splits videos into scenes and sends each scene's key frame to recognition."""
