// Replaced by the command-line front end during integration.
return 0;
