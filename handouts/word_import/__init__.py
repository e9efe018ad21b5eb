"""Import a chair's Word document (.docx) as a handout in the authoring format."""
